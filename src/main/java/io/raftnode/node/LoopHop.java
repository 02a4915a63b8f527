package io.raftnode.node;

import io.vertx.core.Context;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands tasks from any thread to one event loop in batches: tasks queue up, and only the first task after the loop
 * last emptied the queue schedules a run there, which then runs everything queued. Under load a whole burst of
 * client calls (or of their answers) crosses between the client loop and the Raft loop as one scheduled task
 * instead of one each, which is a wake-up and a queue hand-off fewer per write. Tasks run in the order they were
 * handed over.
 */
final class LoopHop {
  private final Context target;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  LoopHop(Context target) {
    this.target = target;
  }

  void run(Runnable task) {
    queue.add(task);
    if (scheduled.compareAndSet(false, true)) target.runOnContext(v -> drain());
  }

  private void drain() {
    // Cleared before polling: a task queued after this point either is polled below or schedules the next drain.
    scheduled.set(false);
    Runnable task;
    while ((task = queue.poll()) != null) task.run();
  }
}
