package io.raftnode;

import java.util.List;

/**
 * A snapshot of a node's Raft state, as AdminService.Status reports it.
 *
 * @param nodeId             the node's id
 * @param role               "leader", "follower", "candidate" or "learner"
 * @param term               its current term
 * @param leaderId           the leader it knows of, 0 for none
 * @param commitIndex        the highest log index known committed
 * @param appliedIndex       the highest log index applied to its state machine
 * @param lastLogIndex       the last index in its log
 * @param snapshotIndex      the index its newest snapshot covers, 0 for none
 * @param voters             the voters of the membership in force (during a joint change, the old ones)
 * @param learners           members that receive the log but do not vote
 * @param membershipLogIndex the log index of the membership entry in force (0: none yet)
 * @param removed            every id ever removed from the cluster
 * @param removedFromCluster this node was removed and no longer takes part
 * @param jointNewVoters     during a change of voters (joint consensus) the voter set it moves to, else empty
 * @param members            every member; on the leader with its view of their progress
 * @param work               long work under way: snapshots sent or installed, followers catching up
 * @param version            the raftnode version the node runs
 * @param dataSizeBytes      bytes in the node's data dir, measured at most a second ago
 * @param readsServed        reads this node has answered since it started, of any consistency
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
    List<Work> work,
    String version,
    long dataSizeBytes,
    long readsServed,
    FlowControl flowControl) {

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
    /** No figures: a node that keeps none. */
    public static final FlowControl NONE = new FlowControl(0, 0, 0, 0);
  }

  /**
   * One long piece of work and how far it got.
   *
   * @param kind          "snapshot-send" (leader), "snapshot-install" (follower) or "catch-up" (leader)
   * @param peer          the follower sent to or catching up; for an install, the leader sending
   * @param unit          "bytes" or "entries"
   * @param done          units done so far
   * @param total         units in all
   * @param ratePerSecond units done per second since the start
   * @param etaMs         time left at that rate; -1 while unknown
   * @param elapsedMs     time since the work started
   */
  public record Work(String kind, long peer, String unit, long done, long total, double ratePerSecond, long etaMs,
      long elapsedMs) {}

  /**
   * One member.
   *
   * @param nodeId        its id
   * @param peerAddress   its peer (RaftService) address
   * @param clientAddress its client address, empty when the membership names none
   * @param voter         it votes (else a learner)
   * @param leader        it is the leader this node knows of
   * @param progress      the leader's view of its replication, null on any other node
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
