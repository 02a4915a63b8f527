package io.raftnode.internal.node;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A new event-loop context, from Vert.x's public API: {@link Vertx#getOrCreateContext()} makes one when called on a
 * thread outside Vert.x. Unlike a verticle deployed for the purpose, it belongs to no deployment, so undeploying the
 * node does not close the server served from it before the node's own stop has answered the calls in flight.
 */
public final class OwnEventLoop {
  private OwnEventLoop() {}

  /** Completes, on no particular thread, with a context on an event loop Vert.x picks. */
  public static Future<Context> create(Vertx vertx, String threadName) {
    Promise<Context> created = Promise.promise();
    Thread thread = new Thread(() -> {
      try {
        created.complete(vertx.getOrCreateContext());
      } catch (RuntimeException e) {
        created.fail(e);
      }
    }, threadName);
    thread.setDaemon(true);
    thread.start();
    return created.future();
  }
}
