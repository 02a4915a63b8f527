package io.raftnode;

/**
 * This node is not the leader, so it did not do what was asked (nothing changed); retry on the leader it names.
 */
public final class NotLeaderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The leader this node knows of, 0 for none. */
  private final long leaderHint;

  /**
   * A refusal naming the leader.
   *
   * @param leaderHint the leader this node knows of, 0 for none
   */
  public NotLeaderException(long leaderHint) {
    super(leaderHint == 0 ? "no leader is known" : "not the leader; the leader is node " + leaderHint, null, false, false);
    this.leaderHint = leaderHint;
  }

  /**
   * The leader this node knows of.
   *
   * @return its id, 0 when no leader is known (an election is under way)
   */
  public long leaderHint() {
    return leaderHint;
  }
}
