package io.raftnode.node;

import io.raftnode.model.HostAndPort;
import io.raftnode.model.Membership;
import io.raftnode.model.Node;
import io.raftnode.transport.AppendEncodings;
import io.raftnode.transport.PeerClient;
import io.raftnode.transport.PeerTraffic;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/** PeerClients by node id, built from the addresses in the current membership and rebuilt when one changes. */
final class PeerDirectory {
  private record Cached(String address, PeerClient client) {}

  private final Vertx vertx;
  private final GrpcClient grpcClient;
  private final AppendEncodings encodings = new AppendEncodings();
  private final long rpcTimeoutMs;
  private final boolean useStream;
  private final Map<Long, Cached> clients = new HashMap<>();

  private final LongFunction<PeerTraffic> traffic;

  /** @param traffic the counters of each peer's calls, by id */
  PeerDirectory(Vertx vertx, GrpcClient grpcClient, long rpcTimeoutMs, boolean useStream,
      LongFunction<PeerTraffic> traffic) {
    this.traffic = traffic;
    this.vertx = vertx;
    this.grpcClient = grpcClient;
    this.rpcTimeoutMs = rpcTimeoutMs;
    this.useStream = useStream;
  }

  void closeAll() {
    clients.values().forEach(c -> c.client().close());
    clients.clear();
  }

  /** The client for {@code nodeId}, or null when the membership does not say where it is. */
  PeerClient client(Membership membership, long nodeId) {
    Node node = membership.nodes().get(nodeId);
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
