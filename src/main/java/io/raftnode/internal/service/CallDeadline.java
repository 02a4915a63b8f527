package io.raftnode.internal.service;

import io.raftnode.internal.grpc.ServerCall;

/**
 * When a client's call must be over: the deadline its grpc-timeout header set, measured from when the call reached
 * this node, or none. The node ends such a call with DEADLINE_EXCEEDED once it passes ({@link ServerCall}
 * does); this tells the work behind the call to stop waiting too.
 */
public final class CallDeadline {
  /** No client deadline: the node's own bounds apply. */
  public static final CallDeadline NONE = new CallDeadline(Long.MAX_VALUE);

  private final long atNanos;

  private CallDeadline(long atNanos) {
    this.atNanos = atNanos;
  }

  /** The deadline of {@code call}, from its grpc-timeout header. */
  static CallDeadline of(ServerCall<?, ?> call) {
    return in(call.timeoutMs());
  }

  /** A deadline {@code timeoutMs} from now; 0 (or less) means none. */
  static CallDeadline in(long timeoutMs) {
    return timeoutMs <= 0 ? NONE : new CallDeadline(System.nanoTime() + timeoutMs * 1_000_000);
  }

  /**
   * The earlier of this deadline and one {@code timeoutMs} from now; 0 (or a value read from an unsigned field that
   * came out negative, or one beyond a year, which no call waits for) leaves this deadline.
   */
  CallDeadline atMost(long timeoutMs) {
    if (timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) return this;
    CallDeadline other = in(timeoutMs);
    return !bounded() || other.atNanos - atNanos < 0 ? other : this;
  }

  private static final long MAX_TIMEOUT_MS = 365L * 24 * 3600 * 1000;

  boolean bounded() {
    return atNanos != Long.MAX_VALUE;
  }

  boolean passed() {
    return bounded() && System.nanoTime() - atNanos >= 0;
  }

  /** Milliseconds left, rounded up, so a timer set for them fires at or after the deadline (0 once it passed). */
  long remainingMs() {
    if (!bounded()) return Long.MAX_VALUE;
    long left = atNanos - System.nanoTime();
    return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
  }

  /** The earlier of this deadline and {@code ms} from now, in milliseconds from now. */
  long remainingMsOrAtMost(long ms) {
    return Math.min(remainingMs(), ms);
  }
}
