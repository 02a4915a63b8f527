package io.raftnode;

/** A proposal that did not complete, and why; the reason says whether the command may still apply. */
public final class ProposalFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a proposal failed: {@link #NOT_APPLIED} is the only reason after which it certainly did not apply. */
  public enum Reason {
    /** Its log slot was taken by another leader's entry: it was not applied and never will be. */
    NOT_APPLIED,
    /** It did not commit in time: it may still apply (outcome unknown). */
    TIMED_OUT,
    /**
     * The node stopped after its core had accepted the command into the log: the entry may be on followers and
     * still apply through another leader (outcome unknown). A command the core never accepted fails with the
     * node's UNAVAILABLE status instead: it is in no log.
     */
    STOPPED
  }

  /** Why the proposal failed. */
  private final Reason reason;

  private ProposalFailedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /**
   * Another leader's entry took the proposal's log slot.
   *
   * @param index the log index the proposal had
   * @return a {@link Reason#NOT_APPLIED} failure
   */
  public static ProposalFailedException notApplied(long index) {
    return new ProposalFailedException(Reason.NOT_APPLIED,
        "leadership changed before the write committed; it was not applied (log index " + index + " holds another entry)");
  }

  /**
   * The proposal did not commit in time.
   *
   * @param index     the log index the proposal has
   * @param timeoutMs how long it waited
   * @return a {@link Reason#TIMED_OUT} failure
   */
  public static ProposalFailedException timedOut(long index, long timeoutMs) {
    return new ProposalFailedException(Reason.TIMED_OUT,
        "the write at log index " + index + " did not commit within " + timeoutMs + " ms; outcome unknown");
  }

  /**
   * The node stopped with the proposal in its log.
   *
   * @return a {@link Reason#STOPPED} failure
   */
  public static ProposalFailedException stopped() {
    return new ProposalFailedException(Reason.STOPPED, "the node stopped before the write applied here; outcome unknown");
  }

  /**
   * Why the proposal failed.
   *
   * @return the reason: whether the command may still apply
   */
  public Reason reason() {
    return reason;
  }
}
