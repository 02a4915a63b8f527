package io.raftnode.cluster;

import com.google.protobuf.ByteString;
import io.raftnode.HostAndPort;
import io.raftnode.NodeConfig;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.raftnode.proto.RequestId;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import io.raftnode.proto.TransferLeadershipRequest;
import io.raftnode.proto.TransferLeadershipResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A gRPC client of one node's client port, as a test uses it. */
final class KvTestClient implements AutoCloseable {
  private static final long TIMEOUT_MS = 15_000;
  private final GrpcClient grpc;
  private final SocketAddress address;

  KvTestClient(Vertx vertx, HostAndPort address, HttpClientOptions options) {
    this.grpc = GrpcClient.client(vertx, options);
    this.address = SocketAddress.inetSocketAddress(address.port(), address.host());
  }

  Future<PutResponse> put(String key, String value) {
    PutRequest request = PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8(value)).build();
    return GrpcCalls.unary(grpc, address, KvServiceGrpcClient.Put, request, TIMEOUT_MS);
  }

  Future<GetResponse> get(String key, Consistency consistency) {
    return get(key, consistency, TIMEOUT_MS);
  }

  Future<GetResponse> get(String key, Consistency consistency, long timeoutMs) {
    GetRequest request = GetRequest.newBuilder().setKey(utf8(key)).setConsistency(consistency).build();
    return GrpcCalls.unary(grpc, address, KvServiceGrpcClient.Get, request, timeoutMs);
  }

  Future<PutResponse> put(String key, String value, String clientId, long sequence) {
    PutRequest request = PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8(value))
        .setRequestId(RequestId.newBuilder().setClientId(clientId).setSequence(sequence)).build();
    return GrpcCalls.unary(grpc, address, KvServiceGrpcClient.Put, request, TIMEOUT_MS);
  }

  Future<io.raftnode.proto.DeleteResponse> delete(String key) {
    return GrpcCalls.unary(grpc, address, KvServiceGrpcClient.Delete,
        io.raftnode.proto.DeleteRequest.newBuilder().setKey(utf8(key)).build(), TIMEOUT_MS);
  }

  /** CompareAndSwap from {@code expected} (null: the key must be absent) to {@code newValue}. */
  Future<io.raftnode.proto.CompareAndSwapResponse> compareAndSwap(String key, String expected, String newValue) {
    io.raftnode.proto.CompareAndSwapRequest.Builder request = io.raftnode.proto.CompareAndSwapRequest.newBuilder()
        .setKey(utf8(key)).setExpectPresent(expected != null).setNewValue(utf8(newValue));
    if (expected != null) request.setExpected(utf8(expected));
    return GrpcCalls.unary(grpc, address, KvServiceGrpcClient.CompareAndSwap, request.build(), TIMEOUT_MS);
  }

  Future<TransferLeadershipResponse> transferLeadership(long target) {
    TransferLeadershipRequest request = TransferLeadershipRequest.newBuilder().setTargetNodeId(target).build();
    return GrpcCalls.unary(grpc, address, AdminServiceGrpcClient.TransferLeadership, request, TIMEOUT_MS);
  }

  Future<io.raftnode.proto.MembershipResponse> addLearner(long id, NodeConfig node, long expectedIndex) {
    return addLearner(io.raftnode.proto.AddLearnerRequest.newBuilder().setNodeId(id)
        .setPeerAddress(node.peerAddress().toString()).setClientAddress(node.clientAddress().toString())
        .setExpectedMembershipIndex(expectedIndex).build());
  }

  Future<io.raftnode.proto.MembershipResponse> addLearner(io.raftnode.proto.AddLearnerRequest request) {
    return GrpcCalls.unary(grpc, address, AdminServiceGrpcClient.AddLearner, request, TIMEOUT_MS);
  }

  Future<io.raftnode.proto.MembershipResponse> changeMembership(java.util.Collection<Long> voters, long expectedIndex) {
    return GrpcCalls.unary(grpc, address, AdminServiceGrpcClient.ChangeMembership,
        io.raftnode.proto.ChangeMembershipRequest.newBuilder().addAllVoters(voters)
            .setExpectedMembershipIndex(expectedIndex).build(), TIMEOUT_MS);
  }

  Future<io.raftnode.proto.MembershipResponse> removeMember(long id, long expectedIndex) {
    return GrpcCalls.unary(grpc, address, AdminServiceGrpcClient.RemoveMember,
        io.raftnode.proto.RemoveMemberRequest.newBuilder().setNodeId(id).setExpectedMembershipIndex(expectedIndex)
            .build(), TIMEOUT_MS);
  }

  /** The node's status, or null when it does not answer. */
  StatusResponse status() {
    try {
      return GrpcCalls.unary(grpc, address, AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance(), 1000)
          .toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  /** AdminService.TakeSnapshot: the index the node's newest snapshot covers. */
  Future<Long> takeSnapshot() {
    return GrpcCalls.unary(grpc, address, AdminServiceGrpcClient.TakeSnapshot,
        io.raftnode.proto.TakeSnapshotRequest.getDefaultInstance(), TIMEOUT_MS).map(r -> r.getSnapshotIndex());
  }

  static ByteString utf8(String text) {
    return ByteString.copyFrom(text, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    grpc.close();
  }
}
