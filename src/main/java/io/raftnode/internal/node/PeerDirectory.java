package io.raftnode.internal.node;

import io.raftnode.HostAndPort;
import io.raftnode.internal.core.RaftCore;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.transport.AppendEncodings;
import io.raftnode.internal.transport.PeerClient;
import io.raftnode.internal.transport.PeerTraffic;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * PeerClients by node id, built from the addresses in the membership and rebuilt when one changes. A node is
 * looked up in the effective membership, then in the committed one: a voter that a change removes must still be
 * reached until that change commits, so that it learns it left. Clients of nodes in neither are closed
 * ({@link #closeNonMembers}), streams included.
 */
public final class PeerDirectory {
  private record Cached(String address, PeerClient client) {}

  private final Vertx vertx;
  private final GrpcClient grpcClient;
  private final RaftCore core;
  private final AppendEncodings encodings = new AppendEncodings();
  private final long rpcTimeoutMs;
  private final boolean useStream;
  private final Map<Long, Cached> clients = new HashMap<>();

  private final LongFunction<PeerTraffic> traffic;

  /** @param traffic the counters of each peer's calls, by id */
  public PeerDirectory(Vertx vertx, GrpcClient grpcClient, RaftCore core, long rpcTimeoutMs, boolean useStream,
      LongFunction<PeerTraffic> traffic) {
    this.traffic = traffic;
    this.vertx = vertx;
    this.grpcClient = grpcClient;
    this.core = core;
    this.rpcTimeoutMs = rpcTimeoutMs;
    this.useStream = useStream;
  }

  public void closeAll() {
    clients.values().forEach(c -> c.client().close());
    clients.clear();
  }

  /** Closes the clients of nodes that are members neither of the effective nor of the committed membership. */
  void closeNonMembers() {
    Membership effective = core.membership();
    Membership committed = core.committedMembership();
    for (Iterator<Map.Entry<Long, Cached>> it = clients.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Cached> e = it.next();
      if (!effective.isMember(e.getKey()) && !committed.isMember(e.getKey())) {
        e.getValue().client().close();
        it.remove();
      }
    }
  }

  /** The number of open clients (for tests). */
  int openClients() {
    return clients.size();
  }

  /** The client for {@code nodeId}, or null when neither membership says where it is. */
  PeerClient client(long nodeId) {
    Node node = core.membership().nodes().get(nodeId);
    if (node == null) node = core.committedMembership().nodes().get(nodeId);
    if (node == null) return null;
    Cached cached = clients.get(nodeId);
    if (cached == null || !cached.address().equals(node.peerAddress())) {
      if (cached != null) cached.client().close();
      cached = new Cached(node.peerAddress(),
          new PeerClient(vertx, grpcClient, HostAndPort.parse(node.peerAddress()), rpcTimeoutMs, useStream,
              encodings, traffic.apply(nodeId)));
      clients.put(nodeId, cached);
    }
    return cached.client();
  }
}
