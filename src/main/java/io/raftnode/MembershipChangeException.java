package io.raftnode;

import io.raftnode.internal.core.Action.MembershipFailure;

/** A membership change that did not happen, or may not have; {@link #failure()} says which. */
public final class MembershipChangeException extends RuntimeException {
  private final MembershipFailure failure;
  private final long leaderHint;

  public MembershipChangeException(MembershipFailure failure, String message, long leaderHint) {
    super(message, null, false, false);
    this.failure = failure;
    this.leaderHint = leaderHint;
  }

  public MembershipFailure failure() {
    return failure;
  }

  /** The leader this node knows of (0 = none). */
  public long leaderHint() {
    return leaderHint;
  }
}
