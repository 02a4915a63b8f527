package io.raftnode.node;

/**
 * How many ticks of real time each timer firing stands for. The tick timer is re-armed after each firing, so a
 * stalled event loop resumes with one firing; this tells the core how long the stall really was, so a leader's
 * lease (measured in real ticks) cannot outlive it. Never reports less than the time that passed.
 *
 * <p>After a stall the overdue timer may run only after the requests that piled up meanwhile (Netty handles ready
 * I/O before due timers), so a lease read first delivers the ticks already due ({@link #catchUp}): otherwise the
 * lease would be judged at the time the stall began.
 */
final class TickClock {
  private final long tickNanos;
  private final long origin = System.nanoTime();
  private long delivered;

  TickClock(long tickMs) {
    this.tickNanos = tickMs * 1_000_000L;
  }

  /** Ticks elapsed since the previous call (at least 1). */
  long elapsed() {
    long total = (System.nanoTime() - origin) / tickNanos;
    long elapsed = Math.max(1, total - delivered);
    delivered += elapsed;
    return elapsed;
  }

  /** Whole ticks that passed and were not yet reported (0 if none); they count as reported from now on. */
  long catchUp() {
    long total = (System.nanoTime() - origin) / tickNanos;
    long due = total - delivered;
    if (due <= 0) return 0;
    delivered = total;
    return due;
  }
}
