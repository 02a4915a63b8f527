package io.raftnode.internal.kv;

/**
 * Identifies a client's write so that a retry of it is applied at most once (Raft thesis §6.3): the client's id
 * and a sequence number that grows with each new write of that client.
 *
 * @param firstIncomplete the lowest sequence of this client whose answer the client has not yet received, so the
 *                        state machine may forget the answers below it (RIFL's acknowledgement); at most
 *                        {@code sequence}, since this write is itself unanswered. 0 when the client does not say.
 */
public record RequestId(String clientId, long sequence, long firstIncomplete) {
  public RequestId {
    if (clientId == null || clientId.isEmpty()) throw new IllegalArgumentException("clientId must not be empty");
    if (sequence < 0) throw new IllegalArgumentException("sequence must be >= 0: " + sequence);
    if (firstIncomplete < 0 || firstIncomplete > sequence) {
      throw new IllegalArgumentException("firstIncomplete must be in [0, sequence " + sequence + "]: " + firstIncomplete);
    }
  }

  /** An id that says nothing about which earlier answers the client has received. */
  public RequestId(String clientId, long sequence) {
    this(clientId, sequence, 0);
  }
}
