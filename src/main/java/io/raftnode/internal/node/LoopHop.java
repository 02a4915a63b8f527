package io.raftnode.internal.node;

import io.vertx.core.Context;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands tasks from any thread to one event loop in batches: tasks queue up, and only the first task after the loop
 * last emptied the queue schedules a run there, which then runs everything queued. Under load a whole burst of
 * client calls (or of their answers) crosses between the client loop and the Raft loop as one scheduled task
 * instead of one each, which is a wake-up and a queue hand-off fewer per write. Tasks run in the order they were
 * handed over.
 */
final class LoopHop {
  private static final Logger LOG = Logger.getLogger(LoopHop.class.getName());
  /** Tasks run in one turn at most, so a steady stream of them cannot keep the loop from its other work. */
  static final int MAX_TASKS_PER_TURN = 4096;

  /** Schedules one run of {@link #drain} where the tasks are to run. */
  private final java.util.function.Consumer<Runnable> target;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  LoopHop(Context target) {
    this(task -> target.runOnContext(v -> task.run()));
  }

  /** Runs the tasks wherever {@code schedule} runs what it is given (a worker thread, say). */
  LoopHop(java.util.function.Consumer<Runnable> schedule) {
    this.target = schedule;
  }

  void run(Runnable task) {
    queue.add(task);
    if (scheduled.compareAndSet(false, true)) target.accept(this::drain);
  }

  private void drain() {
    for (int ran = 0; ran < MAX_TASKS_PER_TURN; ) {
      Runnable task;
      while (ran < MAX_TASKS_PER_TURN && (task = queue.poll()) != null) {
        runSafely(task);
        ran++;
      }
      if (ran == MAX_TASKS_PER_TURN) break;
      // Empty: stand down, unless a task arrived after the last poll and its sender saw us still scheduled.
      scheduled.set(false);
      if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) return;
    }
    // Still scheduled: give the loop's other work a turn, then go on.
    target.accept(this::drain);
  }

  /** A task that throws must not stop the ones queued behind it, nor leave the hop scheduled and never drained. */
  private static void runSafely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "a task handed to the event loop failed", e);
    }
  }
}
