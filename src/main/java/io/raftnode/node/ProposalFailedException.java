package io.raftnode.node;

/** A proposal that did not complete, and why; the reason says whether the command may still apply. */
public final class ProposalFailedException extends RuntimeException {

  public enum Reason {
    /** Its log slot was taken by another leader's entry: it was not applied and never will be. */
    NOT_APPLIED,
    /** The node stopped (or failed) before handing it to the Raft core: it never entered a log. */
    NOT_PROPOSED,
    /** It did not commit in time: it may still apply (outcome unknown). */
    TIMED_OUT,
    /**
     * The node stopped after handing it to the Raft core: it may be in this node's log and on followers, so it may
     * still apply through another node (outcome unknown).
     */
    STOPPED
  }

  private final Reason reason;

  private ProposalFailedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public static ProposalFailedException notApplied(long index) {
    return new ProposalFailedException(Reason.NOT_APPLIED,
        "leadership changed before the write committed; it was not applied (log index " + index + " holds another entry)");
  }

  /** {@code why} says what stopped the node ("node 3 is stopping", ...). */
  public static ProposalFailedException notProposed(String why) {
    return new ProposalFailedException(Reason.NOT_PROPOSED, why + "; the write was not proposed");
  }

  public static ProposalFailedException timedOut(long index, long timeoutMs) {
    return new ProposalFailedException(Reason.TIMED_OUT,
        "the write at log index " + index + " did not commit within " + timeoutMs + " ms; outcome unknown");
  }

  public static ProposalFailedException stopped() {
    return new ProposalFailedException(Reason.STOPPED, "the node stopped before the write committed; outcome unknown");
  }

  public Reason reason() {
    return reason;
  }

  /** True when the command never entered a log or lost its slot there: it will never apply. */
  public boolean certainlyNotApplied() {
    return reason == Reason.NOT_APPLIED || reason == Reason.NOT_PROPOSED;
  }
}
