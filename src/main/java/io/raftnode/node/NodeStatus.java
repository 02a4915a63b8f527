package io.raftnode.node;

import java.util.List;

/**
 * A snapshot of a node's Raft state, as AdminService.Status reports it.
 *
 * @param membershipLogIndex the log index of the membership entry in force (0: none yet)
 * @param removed            every id ever removed from the cluster
 * @param removedFromCluster this node was removed and no longer takes part
 * @param jointNewVoters     during a change of voters (joint consensus) the voter set it moves to, else empty
 * @param members            every member; on the leader with its view of their progress
 * @param flowControl        the bytes held under the flow-control bounds, and those bounds
 */
public record NodeStatus(
    long nodeId,
    String role,
    long term,
    long leaderId,
    long commitIndex,
    long appliedIndex,
    long lastLogIndex,
    long snapshotIndex,
    List<Long> voters,
    List<Long> learners,
    long membershipLogIndex,
    List<Long> removed,
    boolean removedFromCluster,
    List<Long> jointNewVoters,
    List<Member> members,
    FlowControl flowControl) {

  /** A status without flow-control figures (a node that keeps none). */
  public NodeStatus(long nodeId, String role, long term, long leaderId, long commitIndex, long appliedIndex,
      long lastLogIndex, long snapshotIndex, List<Long> voters, List<Long> learners, long membershipLogIndex,
      List<Long> removed, boolean removedFromCluster, List<Long> jointNewVoters, List<Member> members) {
    this(nodeId, role, term, leaderId, commitIndex, appliedIndex, lastLogIndex, snapshotIndex, voters, learners,
        membershipLogIndex, removed, removedFromCluster, jointNewVoters, members, FlowControl.NONE);
  }

  /**
   * What the node holds under its memory bounds (docs/ARCHITECTURE.md, "Memory bounds").
   *
   * @param pendingProposalBytes    bytes of proposals taken and not yet applied (counted on the leader)
   * @param maxPendingProposalBytes their bound, {@code limits.max_pending_proposal_bytes}
   * @param appendBufferBytes       bytes of append requests received and not yet durable, plus entries handed to
   *                                the state machine and not yet applied
   * @param maxPendingAppendBytes   their bound, {@code limits.max_pending_append_bytes}
   */
  public record FlowControl(long pendingProposalBytes, long maxPendingProposalBytes, long appendBufferBytes,
      long maxPendingAppendBytes) {
    public static final FlowControl NONE = new FlowControl(0, 0, 0, 0);
  }

  /**
   * One member. {@code progress} is the leader's view of it, null on any other node.
   */
  public record Member(long nodeId, String peerAddress, String clientAddress, boolean voter, boolean leader,
      Progress progress) {}

  /**
   * What the leader knows of a member's replication.
   *
   * @param matchIndex     the highest index the member holds durably
   * @param lag            the leader's last index minus {@code matchIndex}
   * @param replication    "probe", "replicate", "snapshot", or "self" for the leader
   * @param lostLog        the member answered with a log ending before what it had acknowledged: it lost its disk
   * @param lastHeardMsAgo time since the member last answered
   */
  public record Progress(long matchIndex, long lag, String replication, boolean lostLog, long lastHeardMsAgo) {}
}
