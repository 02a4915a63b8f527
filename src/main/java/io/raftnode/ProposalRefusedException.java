package io.raftnode;

/**
 * The leader refused a proposal before proposing it: the bytes it holds for proposals not yet applied are at
 * {@code limits.max_pending_proposal_bytes} (flow control). Nothing was proposed; the client may retry after
 * {@link #retryAfterMs()}.
 */
public final class ProposalRefusedException extends RuntimeException {
  private final long retryAfterMs;

  public ProposalRefusedException(long heldBytes, long boundBytes, long retryAfterMs) {
    super("the leader holds " + heldBytes + " bytes of writes not yet applied, at its bound of " + boundBytes
        + " (limits.max_pending_proposal_bytes); the write was not proposed; retry after " + retryAfterMs + " ms",
        null, false, false);
    this.retryAfterMs = retryAfterMs;
  }

  /** How long the client should wait before trying again. */
  public long retryAfterMs() {
    return retryAfterMs;
  }
}
