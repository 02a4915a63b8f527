package io.raftnode;

/** A proposal that did not complete, and why; the reason says whether the command may still apply. */
public final class ProposalFailedException extends RuntimeException {

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

  private final Reason reason;

  private ProposalFailedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public static ProposalFailedException notApplied(long index) {
    return new ProposalFailedException(Reason.NOT_APPLIED,
        "leadership changed before the write committed; it was not applied (log index " + index + " holds another entry)");
  }

  public static ProposalFailedException timedOut(long index, long timeoutMs) {
    return new ProposalFailedException(Reason.TIMED_OUT,
        "the write at log index " + index + " did not commit within " + timeoutMs + " ms; outcome unknown");
  }

  public static ProposalFailedException stopped() {
    return new ProposalFailedException(Reason.STOPPED, "the node stopped before the write applied here; outcome unknown");
  }

  public Reason reason() {
    return reason;
  }
}
