package io.raftnode.internal.model;

/**
 * TransferLeader: the leader ({@code fromLeader}, its committed vote) asks {@code toNodeId} to start an election
 * at once. {@code lastLogId} is the leader's last entry, which the target's log holds when it is sent (null for
 * an empty log).
 */
public record TransferLeaderRequest(Vote fromLeader, long toNodeId, LogId lastLogId) {
  public TransferLeaderRequest {
    if (fromLeader == null) throw new IllegalArgumentException("fromLeader must not be null");
    if (toNodeId < 0) throw new IllegalArgumentException("toNodeId must be >= 0: " + toNodeId);
  }
}
