package io.raftnode;

/** A leadership transfer did not happen; the message says why (the old leader keeps or regains office). */
public final class TransferFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A transfer that did not happen.
   *
   * @param reason why, for a person
   */
  public TransferFailedException(String reason) {
    super(reason, null, false, false);
  }
}
