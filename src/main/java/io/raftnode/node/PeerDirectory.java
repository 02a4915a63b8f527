package io.raftnode.node;

import io.raftnode.model.HostAndPort;
import io.raftnode.model.Membership;
import io.raftnode.model.Node;
import io.raftnode.transport.PeerClient;
import io.vertx.grpc.client.GrpcClient;
import java.util.HashMap;
import java.util.Map;

/** PeerClients by node id, built from the addresses in the current membership and rebuilt when one changes. */
final class PeerDirectory {
  private record Cached(String address, PeerClient client) {}

  private final GrpcClient grpcClient;
  private final long rpcTimeoutMs;
  private final Map<Long, Cached> clients = new HashMap<>();

  PeerDirectory(GrpcClient grpcClient, long rpcTimeoutMs) {
    this.grpcClient = grpcClient;
    this.rpcTimeoutMs = rpcTimeoutMs;
  }

  /** The client for {@code nodeId}, or null when the membership does not say where it is. */
  PeerClient client(Membership membership, long nodeId) {
    Node node = membership.nodes().get(nodeId);
    if (node == null) return null;
    Cached cached = clients.get(nodeId);
    if (cached == null || !cached.address().equals(node.peerAddress())) {
      cached = new Cached(node.peerAddress(), new PeerClient(grpcClient, HostAndPort.parse(node.peerAddress()), rpcTimeoutMs));
      clients.put(nodeId, cached);
    }
    return cached.client();
  }
}
