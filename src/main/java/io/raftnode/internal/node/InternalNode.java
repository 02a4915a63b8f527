package io.raftnode.internal.node;

import io.raftnode.ClientService;
import io.raftnode.HostAndPort;
import io.raftnode.MembershipChangeException;
import io.raftnode.NoSnapshotException;
import io.raftnode.NodeConfig;
import io.raftnode.RaftNode;
import io.raftnode.internal.model.MembershipCommand;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.statemachine.StateMachine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;

/**
 * What the node's own client-port services (KvService, AdminService) need of it beyond the embedding API: the
 * Vert.x instance, forwarding to the leader, limits and timeouts, and the admin operations that speak the core's
 * types (membership changes, snapshot downloads). Not for applications: a {@link io.raftnode.RaftNodeVerticle}
 * hands it to the {@link ClientService}s it serves in place of its public handle.
 */
public interface InternalNode extends RaftNode {

  /**
   * The internal view of the node a {@link ClientService} was bound to.
   *
   * @throws IllegalArgumentException when {@code node} is not a node started by a {@code RaftNodeVerticle}
   */
  static InternalNode of(RaftNode node) {
    if (node instanceof InternalNode internal) return internal;
    throw new IllegalArgumentException("KvService and AdminService are served only by the RaftNodeVerticle that binds"
        + " them, not by " + node.getClass().getName());
  }

  Vertx vertx();

  /** How long a proposal may wait to commit before it fails with an unknown outcome. */
  long proposalTimeoutMs();

  /** The largest key and value clients may write (config {@code limits.*}). */
  default NodeConfig.Limits limits() {
    return NodeConfig.Limits.DEFAULTS;
  }

  /**
   * What the node replicates, for the services that know a particular state machine (KvService reads the
   * key-value store's size from it); null when not known. Its thread rules are its own: only what it documents
   * as safe from any thread may be called.
   */
  default StateMachine stateMachine() {
    return null;
  }

  /** The client address of the leader this node knows of, or null when none is known or it is this node. */
  Future<HostAndPort> leaderClientAddress();

  /**
   * HTTP/2 options for calling another node's client port (a follower forwarding a write to the leader): TLS with
   * this node's certificate when the client port uses TLS.
   */
  HttpClientOptions clientPortCallOptions();

  /**
   * Changes the cluster's members (AdminService.AddLearner, ChangeMembership, RemoveMember) on the leader and
   * completes once the change is committed, with the membership then in force and its log entry's id.
   * {@code expectedIndex} (0 = any) makes it a compare-and-set: the change is refused unless the membership in
   * force is still the one at that log index. Fails with {@link MembershipChangeException}, whose
   * {@link MembershipChangeException#failure() failure} says whether the change may still complete, or with the
   * node's UNAVAILABLE status when it has stopped serving (nothing changed).
   */
  default Future<StoredMembership> changeMembership(MembershipCommand command, long expectedIndex) {
    return Future.failedFuture(new UnsupportedOperationException("this node does not change its membership"));
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
