package io.raftnode;

/** This node is not the leader; {@code leaderHint} is the leader it knows of (0 = none known). */
public final class NotLeaderException extends RuntimeException {
  private final long leaderHint;

  public NotLeaderException(long leaderHint) {
    super(leaderHint == 0 ? "no leader is known" : "not the leader; the leader is node " + leaderHint, null, false, false);
    this.leaderHint = leaderHint;
  }

  public long leaderHint() {
    return leaderHint;
  }
}
