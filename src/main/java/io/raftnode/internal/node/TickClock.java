package io.raftnode.internal.node;

import java.util.function.LongSupplier;

/**
 * How many whole ticks of real time passed since the core's clock last moved. The tick timer is re-armed after each
 * firing, so a stalled event loop resumes with one firing; this tells the core how long the stall really was, so a
 * leader's lease (measured in real ticks) cannot outlive it. It never reports a tick before its period has passed,
 * so the core's clock is never ahead of real time either (the lease is measured from a request's send time on it).
 *
 * <p>After a stall the overdue timer may run only after the requests that piled up meanwhile (Netty handles ready
 * I/O before due timers), so a lease read first hands the core the ticks already due (Event.ClockCaughtUp):
 * otherwise the lease would be judged at the time the stall began. The timer's next firing then reports only what
 * passed after that, possibly nothing.
 */
public final class TickClock {
  private final long tickNanos;
  private final LongSupplier nanoTime;
  private final long origin;
  private long reported;

  public TickClock(long tickMs) {
    this(tickMs, System::nanoTime);
  }

  public TickClock(long tickMs, LongSupplier nanoTime) {
    this.tickNanos = tickMs * 1_000_000L;
    this.nanoTime = nanoTime;
    this.origin = nanoTime.getAsLong();
  }

  /** Whole ticks that passed and were not yet reported (0 if none); they count as reported from now on. */
  public long elapsed() {
    long total = (nanoTime.getAsLong() - origin) / tickNanos;
    long due = Math.max(0, total - reported);
    reported += due;
    return due;
  }
}
