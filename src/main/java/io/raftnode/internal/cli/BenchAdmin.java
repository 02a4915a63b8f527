package io.raftnode.internal.cli;

import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.proto.AddLearnerRequest;
import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.ChangeMembershipRequest;
import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.MembershipResponse;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The membership bench's calls to a {@link BenchCluster}: membership changes, status and a node's metrics. */
final class BenchAdmin {
  private final GrpcClient grpc;
  private final BenchCluster cluster;

  BenchAdmin(GrpcClient grpc, BenchCluster cluster) {
    this.grpc = grpc;
    this.cluster = cluster;
  }

  GrpcClient grpc() {
    return grpc;
  }

  /** The node's status, or null when it does not answer within a second. */
  StatusResponse status(int node) {
    return cluster.status(grpc, node);
  }

  /** The leader's view of {@code member}, or null when {@code leader} does not report it. */
  MemberStatus memberOnLeader(int leader, int member) {
    StatusResponse s = status(leader);
    if (s == null) return null;
    return s.getMembersList().stream().filter(m -> m.getNodeId() == member).findFirst().orElse(null);
  }

  /** Adds {@code node} (a joiner of the cluster) as a learner through {@code via}; returns once committed. */
  MembershipResponse addLearner(int via, int node) throws Exception {
    AddLearnerRequest request = AddLearnerRequest.newBuilder().setNodeId(node)
        .setPeerAddress("127.0.0.1:" + cluster.peerPort(node))
        .setClientAddress("127.0.0.1:" + cluster.clientPort(node)).build();
    return await(GrpcCalls.unary(grpc, address(via), AdminServiceGrpcClient.AddLearner, request, 60_000));
  }

  /** Moves to the voter set {@code voters} through {@code via}; returns once the new configuration committed. */
  MembershipResponse changeVoters(int via, List<Integer> voters) throws Exception {
    ChangeMembershipRequest.Builder request = ChangeMembershipRequest.newBuilder();
    voters.forEach(v -> request.addVoters(v));
    return await(GrpcCalls.unary(grpc, address(via), AdminServiceGrpcClient.ChangeMembership, request.build(), 60_000));
  }

  /** The sum of every sample of metric {@code name} (all label sets) on the node's /metrics, NaN if absent. */
  double metric(int node, String name) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.metricsPort(node) + "/metrics"))
        .GET().build();
    String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    double sum = Double.NaN;
    for (String line : body.split("\n")) {
      if (line.startsWith("#")) continue;
      if (!line.startsWith(name + " ") && !line.startsWith(name + "{")) continue;
      double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      sum = Double.isNaN(sum) ? value : sum + value;
    }
    return sum;
  }

  SocketAddress address(int node) {
    return SocketAddress.inetSocketAddress(cluster.clientPort(node), "127.0.0.1");
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(70, TimeUnit.SECONDS);
  }
}
