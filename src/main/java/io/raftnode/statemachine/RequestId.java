package io.raftnode.statemachine;

/**
 * Identifies a client's write so that a retry of it is applied at most once (Raft thesis §6.3): the client's id
 * and a sequence number that grows with each new write of that client.
 */
public record RequestId(String clientId, long sequence) {
  public RequestId {
    if (clientId == null || clientId.isEmpty()) throw new IllegalArgumentException("clientId must not be empty");
    if (sequence < 0) throw new IllegalArgumentException("sequence must be >= 0: " + sequence);
  }
}
