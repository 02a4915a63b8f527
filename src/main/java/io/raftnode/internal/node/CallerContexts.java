package io.raftnode.internal.node;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the node hands results and events back to the code that asked for them: the caller's Vert.x context, or
 * for a caller on no Vert.x thread a thread of Vert.x's worker pool. Never the Raft loop, so a callback that blocks
 * cannot hold up heartbeats (a caller's own event loop may still share the Raft loop's thread: Vert.x shares event
 * loops between verticles). Callers on no Vert.x thread do not share one worker either: one of them blocking in
 * its callback holds up no other.
 */
public final class CallerContexts {
  /** How a result reaches one caller: tasks handed to it run there. */
  interface Delivery {
    void run(Runnable task);
  }

  private final Vertx vertx;
  /**
   * One hop per event-loop thread, so a burst of answers to one loop crosses as one task. Keyed by thread rather
   * than context: Vert.x gives every request a context of its own that shares its connection's loop, and answers
   * need only the loop.
   */
  private final Map<Thread, LoopHop> eventLoops = new ConcurrentHashMap<>();

  public CallerContexts(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The delivery of one result to the code running now (call it on the caller's thread). */
  Delivery current() {
    Context context = Vertx.currentContext();
    if (context == null) return this::onWorker;
    if (context.isEventLoopContext() && Context.isOnEventLoopThread()) {
      return eventLoops.computeIfAbsent(Thread.currentThread(), thread -> new LoopHop(context))::run;
    }
    return task -> context.runOnContext(v -> task.run());
  }

  /**
   * A delivery that keeps the order tasks are handed to it, for a listener registered on {@code context} (null: on
   * no Vert.x thread, for which it is a queue of its own run on the worker pool).
   */
  Delivery ordered(Context context) {
    if (context != null) return task -> context.runOnContext(v -> task.run());
    return new LoopHop(this::onWorker)::run;
  }

  private void onWorker(Runnable task) {
    vertx.executeBlocking(() -> {
      task.run();
      return null;
    }, false);
  }
}
