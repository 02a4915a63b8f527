package io.raftnode;

/**
 * The leader refused a proposal before proposing it: the bytes it holds for proposals not yet applied are at
 * {@code limits.max_pending_proposal_bytes} (flow control). Nothing was proposed; the client may retry after
 * {@link #retryAfterMs()}.
 */
public final class ProposalRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How long the client should wait before trying again. */
  private final long retryAfterMs;

  /**
   * A refusal by flow control.
   *
   * @param heldBytes    the bytes the leader holds for proposals not yet applied
   * @param boundBytes   their bound
   * @param retryAfterMs how long the client should wait before trying again
   */
  public ProposalRefusedException(long heldBytes, long boundBytes, long retryAfterMs) {
    super("the leader holds " + heldBytes + " bytes of writes not yet applied, at its bound of " + boundBytes
        + " (limits.max_pending_proposal_bytes); the write was not proposed; retry after " + retryAfterMs + " ms",
        null, false, false);
    this.retryAfterMs = retryAfterMs;
  }

  /**
   * How long the client should wait before trying again.
   *
   * @return milliseconds
   */
  public long retryAfterMs() {
    return retryAfterMs;
  }
}
