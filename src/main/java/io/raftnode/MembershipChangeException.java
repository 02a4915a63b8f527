package io.raftnode;

/**
 * A membership change ({@code AdminService.AddLearner}, {@code ChangeMembership}, {@code RemoveMember}) that did not
 * happen, or may not have; {@link #failure()} says which, so a caller knows whether retrying could apply it twice.
 */
public final class MembershipChangeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the change failed, and whether it may still take effect. */
  public enum Failure {
    /** This node is not the leader; nothing changed ({@link #leaderHint()} names the leader when known). */
    NOT_LEADER,
    /** The request names no voter, or an unknown node; nothing changed. */
    INVALID,
    /** A rule refused it now (another change under way, a learner not caught up, a reused id); nothing changed. */
    REFUSED,
    /** The change was appended but not known to commit (leadership lost, a timeout): it may still complete. */
    OUTCOME_UNKNOWN
  }

  /** Why the change failed. */
  private final Failure failure;
  /** The leader the failing node knows of, 0 for none. */
  private final long leaderHint;

  /**
   * A failed change.
   *
   * @param failure    why it failed
   * @param message    what happened, for a person
   * @param leaderHint the leader the failing node knows of, 0 for none
   */
  public MembershipChangeException(Failure failure, String message, long leaderHint) {
    super(message, null, false, false);
    this.failure = failure;
    this.leaderHint = leaderHint;
  }

  /**
   * Why the change failed.
   *
   * @return the failure: {@link Failure#OUTCOME_UNKNOWN} is the only one after which the change may still complete
   */
  public Failure failure() {
    return failure;
  }

  /**
   * The leader this node knows of.
   *
   * @return its id, 0 for none
   */
  public long leaderHint() {
    return leaderHint;
  }
}
