package io.raftnode.node;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Calls into a node from other threads: the work runs on the node's event loop, the only thread that touches Raft
 * state, and the result is delivered on the caller's event loop, so what the caller does with it (encoding a
 * client's answer) stays off the Raft loop. Both directions go through {@link LoopHop}s, so a burst of calls, and
 * of answers, crosses as one scheduled task.
 */
final class RaftLoopCalls {
  private final Context raftLoop;
  private final LoopHop toRaftLoop;
  private final Map<ContextInternal, LoopHop> hopsBack = new ConcurrentHashMap<>();

  RaftLoopCalls(Context raftLoop) {
    this.raftLoop = raftLoop;
    this.toRaftLoop = new LoopHop(raftLoop);
  }

  <T> Future<T> call(Supplier<Future<T>> work) {
    Context caller = Vertx.currentContext();
    if (caller == raftLoop) return work.get();
    Promise<T> promise = Promise.promise();
    LoopHop back = caller == null ? null : hopTo(caller);
    toRaftLoop.run(() -> {
      Future<T> started;
      try {
        started = work.get();
      } catch (RuntimeException e) { // the caller gets the failure instead of waiting for ever
        started = Future.failedFuture(e);
      }
      started.onComplete(result -> {
        if (back == null) {
          promise.handle(result);
        } else {
          back.run(() -> promise.handle(result));
        }
      });
    });
    return promise.future();
  }

  /**
   * The hop back to a caller's event loop. Keyed by the loop's root context: Vert.x gives every request a context
   * of its own that shares its connection's loop, and answers need only the loop.
   */
  private LoopHop hopTo(Context caller) {
    ContextInternal root = ((ContextInternal) caller).unwrap();
    return hopsBack.computeIfAbsent(root, LoopHop::new);
  }
}
