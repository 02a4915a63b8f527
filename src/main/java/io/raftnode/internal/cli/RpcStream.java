package io.raftnode.internal.cli;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The messages of a server-streaming call, taken one at a time by a blocking caller (a command's main thread), so
 * that what it does with each (writing a file) stays off the event loop. Messages are requested from the stream
 * only as they are taken, a few ahead, so a caller slower than the network holds the server back through HTTP/2
 * flow control instead of buffering without bound.
 */
final class RpcStream<Resp> {
  /** Messages requested ahead of the one being taken. */
  private static final int AHEAD = 4;
  private static final Object END = new Object();

  private final LinkedBlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
  private final String target;
  private final long idleTimeoutMs;
  private volatile GrpcClientResponse<?, Resp> response;
  private volatile Context context;
  private boolean ended;

  RpcStream(String target, long idleTimeoutMs) {
    this.target = target;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** Hooks up the response once the call is answered (on the event loop); a failed call ends the stream with it. */
  void attach(Future<GrpcClientResponse<?, Resp>> answered) {
    answered.onComplete((resp, err) -> {
      if (err != null) {
        arrived.add(err);
        return;
      }
      response = resp;
      context = io.vertx.core.Vertx.currentContext();
      resp.pause();
      resp.handler(arrived::add);
      resp.endHandler(v -> arrived.add(resp.status() == null || resp.status() == GrpcStatus.OK ? END
          : new RpcException(resp.status().name(), resp.statusMessage())));
      resp.exceptionHandler(e -> arrived.add(e instanceof InvalidStatusException
          ? new RpcException(resp.status().name(), resp.statusMessage()) : e));
      resp.fetch(AHEAD);
    });
  }

  /**
   * The next message, or null once the stream has ended with OK. Throws RpcException with the call's status when
   * it failed, or DEADLINE_EXCEEDED when nothing arrived for the idle timeout.
   */
  @SuppressWarnings("unchecked")
  Resp next() throws RpcException {
    if (ended) return null;
    Object item;
    try {
      item = arrived.poll(idleTimeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException("CANCELLED", "interrupted");
    }
    if (item == null) throw new RpcException("DEADLINE_EXCEEDED", "nothing from " + target + " for " + idleTimeoutMs + " ms");
    if (item == END) {
      ended = true;
      return null;
    }
    if (item instanceof RpcException rpc) throw rpc;
    if (item instanceof Throwable err) throw new RpcException("UNAVAILABLE", target + ": " + err.getMessage());
    Context ctx = context;
    GrpcClientResponse<?, Resp> resp = response;
    if (ctx != null && resp != null) ctx.runOnContext(v -> resp.fetch(1));
    return (Resp) item;
  }
}
