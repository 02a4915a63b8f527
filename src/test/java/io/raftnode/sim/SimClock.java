package io.raftnode.sim;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Simulated time and the one queue of everything scheduled to happen. Tasks due at the same moment run in the
 * order they were scheduled, so a run depends on nothing but its seed.
 */
final class SimClock {
  private record Task(long at, long seq, Runnable run) {}

  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(Comparator.comparingLong(Task::at).thenComparingLong(Task::seq));
  private long now;
  private long seq;

  /** Milliseconds of simulated time since the run began. */
  long now() {
    return now;
  }

  void after(long delayMs, Runnable task) {
    queue.add(new Task(now + Math.max(0, delayMs), seq++, task));
  }

  /** Runs the next task if it is due no later than {@code until}; false when there is none. */
  boolean runNext(long until) {
    Task next = queue.peek();
    if (next == null || next.at() > until) {
      now = Math.max(now, until);
      return false;
    }
    queue.poll();
    now = next.at();
    next.run().run();
    return true;
  }
}
