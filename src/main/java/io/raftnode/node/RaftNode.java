package io.raftnode.node;

import io.raftnode.model.HostAndPort;
import io.raftnode.model.MembershipCommand;
import io.raftnode.model.StoredMembership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;

/**
 * The embedding API of a running node. Methods may be called from any thread; futures complete on the node's
 * event loop.
 */
public interface RaftNode {

  long nodeId();

  Vertx vertx();

  /**
   * Replicates {@code command} and applies it to the state machine. Fails with {@link NotLeaderException} on a
   * node that is not the leader, and with {@link ProposalFailedException} when it did not complete.
   */
  Future<Applied> propose(byte[] command);

  /** Answers a read-only query from this node's current state (as fresh as its applied index). */
  Future<byte[]> query(byte[] query);

  /**
   * Answers {@code query} linearizably (Raft thesis §6.4): gets a read index (confirmed by the leader with a
   * heartbeat round; a follower asks the leader for it), waits until this node has applied it, then queries the
   * local state machine. Fails with {@link NotLeaderException} when no leader can confirm the read; it is safe to
   * retry.
   */
  Future<byte[]> linearizableRead(byte[] query);

  /**
   * Answers {@code query} on the leader without a round trip while its lease holds (thesis §6.4.1), else like
   * {@link #linearizableRead}. Fails with {@link NotLeaderException} on a node that is not the leader.
   */
  Future<byte[]> leaseRead(byte[] query);

  /**
   * Hands leadership to {@code target} (0 = the most up-to-date other voter) and completes with the id of the
   * newly elected leader. Fails with {@link NotLeaderException} on a node that is not the leader, and with
   * {@link TransferFailedException} when no new leader was elected in time.
   */
  Future<Long> transferLeadership(long target);

  /**
   * Changes the cluster's members (AdminService.AddLearner, ChangeMembership, RemoveMember) on the leader and
   * completes once the change is committed, with the membership then in force and its log entry's id.
   * {@code expectedIndex} (0 = any) makes it a compare-and-set: the change is refused unless the membership in
   * force is still the one at that log index. Fails with {@link MembershipChangeException}, whose
   * {@link MembershipChangeException#failure() failure} says whether the change may still complete, or with the
   * node's UNAVAILABLE status when it has stopped serving (nothing changed).
   */
  default Future<StoredMembership> changeMembership(MembershipCommand command,
      long expectedIndex) {
    return Future.failedFuture(new UnsupportedOperationException("this node does not change its membership"));
  }

  /** How long a proposal may wait to commit before it fails with an unknown outcome. */
  /** The largest key and value clients may write (config {@code limits.*}). */
  default NodeConfig.Limits limits() {
    return NodeConfig.Limits.DEFAULTS;
  }

  long proposalTimeoutMs();

  /** The node's Raft state now. */
  Future<NodeStatus> status();

  /** The client address of the leader this node knows of, or null when none is known or it is this node. */
  Future<HostAndPort> leaderClientAddress();

  /** The leader this node knows of (possibly itself), with its client address: the hint a refused client gets. */
  Future<KnownLeader> knownLeader();

  /**
   * HTTP/2 options for calling another node's client port (a follower forwarding a write to the leader): TLS with
   * this node's certificate when the client port uses TLS.
   */
  HttpClientOptions clientPortCallOptions();

  /**
   * Takes a snapshot of everything applied so far and compacts the log; completes with the index the snapshot
   * covers (AdminService.TakeSnapshot).
   */
  default Future<Long> takeSnapshot() {
    return Future.failedFuture(new UnsupportedOperationException("this node takes no snapshots"));
  }

  /**
   * Opens a snapshot for a backup (AdminService.SaveSnapshot). With {@code fresh}, first confirms the commit index
   * as a linearizable read does, waits until it is applied and takes a snapshot covering it, so every write
   * acknowledged before the call is in it; otherwise opens the newest snapshot as it is. Fails with
   * {@link NoSnapshotException} when there is none to open.
   */
  default Future<SnapshotDownload> openSnapshot(boolean fresh) {
    return Future.failedFuture(new UnsupportedOperationException("this node takes no snapshots"));
  }
}
