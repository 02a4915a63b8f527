package io.raftnode.internal.node;

import java.util.Map;

/**
 * The node's Raft state at one moment, taken on its event loop, for the metrics and the health service to read
 * from any thread.
 *
 * @param peers       on a leader, each follower's acknowledged index; empty on other roles
 * @param leaderAlive a leader is known and was heard from within an election timeout (see RaftCore)
 * @param pendingProposalBytes the bytes held for proposals not yet applied (flow control, {@link ProposalBudget})
 */
public record NodeSample(
    String role,
    long term,
    long leaderId,
    boolean leaderAlive,
    boolean learner,
    long commitIndex,
    long appliedIndex,
    long lastLogIndex,
    long snapshotIndex,
    long snapshotBytes,
    long pendingProposals,
    long pendingProposalBytes,
    Map<Long, Long> peers) {

  static final NodeSample EMPTY = new NodeSample("follower", 0, 0, false, false, 0, 0, 0, 0, 0, 0, 0, Map.of());
}
