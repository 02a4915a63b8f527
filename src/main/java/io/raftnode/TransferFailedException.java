package io.raftnode;

/** A leadership transfer did not happen; the message says why (the old leader keeps or regains office). */
public final class TransferFailedException extends RuntimeException {
  public TransferFailedException(String reason) {
    super(reason, null, false, false);
  }
}
