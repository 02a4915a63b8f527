package io.raftnode.internal.core;

import java.util.Random;

/**
 * Counts ticks without word from a leader. The timeout is redrawn from [min, max) on every reset so that
 * candidates rarely collide (Raft §5.2, randomized election timeouts).
 */
final class ElectionTimer {

  private final int min;
  private final int max;
  private final Random random;
  private int elapsed;
  private int timeout;

  ElectionTimer(int min, int max, Random random) {
    this.min = min;
    this.max = max;
    this.random = random;
    reset();
  }

  void reset() {
    elapsed = 0;
    timeout = min + random.nextInt(max - min);
  }

  /** Advances one tick; true when the timeout has just run out. */
  boolean tick() {
    elapsed++;
    return elapsed >= timeout;
  }
}
