package io.raftnode.internal.node;

import io.raftnode.HostAndPort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.raftnode.NodeConfig;
import io.raftnode.RaftNode;

/**
 * What the node's own client-port services ({@link ClientApi}s: KvService, AdminService) need of it beyond the
 * embedding API: the Vert.x instance, forwarding to the leader, limits and timeouts. Not for applications.
 */
public interface InternalNode extends RaftNode {

  Vertx vertx();

  /** How long a proposal may wait to commit before it fails with an unknown outcome. */
  long proposalTimeoutMs();

  /** The largest key and value clients may write (config {@code limits.*}). */
  default NodeConfig.Limits limits() {
    return NodeConfig.Limits.DEFAULTS;
  }

  /** The client address of the leader this node knows of, or null when none is known or it is this node. */
  Future<HostAndPort> leaderClientAddress();

  /**
   * HTTP/2 options for calling another node's client port (a follower forwarding a write to the leader): TLS with
   * this node's certificate when the client port uses TLS.
   */
  HttpClientOptions clientPortCallOptions();
}
