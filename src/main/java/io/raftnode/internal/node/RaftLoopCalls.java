package io.raftnode.internal.node;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Calls into a node from other threads: the work runs on the node's event loop, the only thread that touches Raft
 * state, and the result is delivered on the caller's context ({@link CallerContexts}), so what the caller does with
 * it (encoding a client's answer, or an application blocking in its callback) stays off the Raft loop. Both
 * directions go through {@link LoopHop}s, so a burst of calls, and of answers, crosses as one scheduled task.
 */
public final class RaftLoopCalls {
  private final Context raftLoop;
  private final LoopHop toRaftLoop;
  private final CallerContexts callers;

  public RaftLoopCalls(Context raftLoop, CallerContexts callers) {
    this.raftLoop = raftLoop;
    this.toRaftLoop = new LoopHop(raftLoop);
    this.callers = callers;
  }

  public <T> Future<T> call(Supplier<Future<T>> work) {
    Context caller = Vertx.currentContext();
    if (caller == raftLoop) return work.get();
    Promise<T> promise = Promise.promise();
    CallerContexts.Delivery back = callers.current();
    toRaftLoop.run(() -> {
      Future<T> started;
      try {
        started = work.get();
      } catch (RuntimeException e) { // the caller gets the failure instead of waiting for ever
        started = Future.failedFuture(e);
      }
      started.onComplete(result -> back.run(() -> promise.handle(result)));
    });
    return promise.future();
  }

  /** Runs {@code task} on the Raft loop, from any thread. */
  void run(Runnable task) {
    toRaftLoop.run(task);
  }
}
