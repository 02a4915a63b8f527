package io.raftnode.process;

import com.google.protobuf.ByteString;
import io.raftnode.proto.AddLearnerRequest;
import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.ChangeMembershipRequest;
import io.raftnode.proto.MembershipResponse;
import io.raftnode.proto.RemoveMemberRequest;
import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import io.raftnode.transport.GrpcCalls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Blocking gRPC calls to the client port of a node process, each with a deadline. */
final class ProcessClient implements AutoCloseable {
  private final GrpcClient grpc;
  private final long timeoutMs;

  ProcessClient(Vertx vertx, long timeoutMs) {
    // Values up to the node's 1 MiB limit come back in one message, past the client's 256 KiB default.
    this.grpc = GrpcClient.client(vertx, new io.vertx.grpc.client.GrpcClientOptions().setMaxMessageSize(16 << 20),
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    this.timeoutMs = timeoutMs;
  }

  PutResponse put(int port, String key, String value) throws Exception {
    PutRequest request = PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8(value)).build();
    return await(GrpcCalls.unary(grpc, address(port), KvServiceGrpcClient.Put, request, timeoutMs));
  }

  PutResponse put(int port, String key, byte[] value) throws Exception {
    PutRequest request = PutRequest.newBuilder().setKey(utf8(key)).setValue(ByteString.copyFrom(value)).build();
    return await(GrpcCalls.unary(grpc, address(port), KvServiceGrpcClient.Put, request, timeoutMs));
  }

  GetResponse get(int port, String key, Consistency consistency) throws Exception {
    GetRequest request = GetRequest.newBuilder().setKey(utf8(key)).setConsistency(consistency).build();
    return await(GrpcCalls.unary(grpc, address(port), KvServiceGrpcClient.Get, request, timeoutMs));
  }

  CompareAndSwapResponse cas(int port, String key, String expected, String newValue) throws Exception {
    CompareAndSwapRequest.Builder b = CompareAndSwapRequest.newBuilder().setKey(utf8(key)).setNewValue(utf8(newValue));
    if (expected != null) b.setExpectPresent(true).setExpected(utf8(expected));
    return await(GrpcCalls.unary(grpc, address(port), KvServiceGrpcClient.CompareAndSwap, b.build(), timeoutMs));
  }

  MembershipResponse addLearner(int port, int id, int peerPort, int clientPort) throws Exception {
    AddLearnerRequest request = AddLearnerRequest.newBuilder().setNodeId(id).setPeerAddress("127.0.0.1:" + peerPort)
        .setClientAddress("127.0.0.1:" + clientPort).build();
    return await(GrpcCalls.unary(grpc, address(port), AdminServiceGrpcClient.AddLearner, request, timeoutMs));
  }

  MembershipResponse changeVoters(int port, java.util.Collection<Integer> voters) throws Exception {
    ChangeMembershipRequest.Builder b = ChangeMembershipRequest.newBuilder();
    voters.forEach(v -> b.addVoters(v));
    return await(GrpcCalls.unary(grpc, address(port), AdminServiceGrpcClient.ChangeMembership, b.build(), timeoutMs));
  }

  MembershipResponse removeMember(int port, int id) throws Exception {
    RemoveMemberRequest request = RemoveMemberRequest.newBuilder().setNodeId(id).build();
    return await(GrpcCalls.unary(grpc, address(port), AdminServiceGrpcClient.RemoveMember, request, timeoutMs));
  }

  /** The node's status, or null when it does not answer in time. */
  StatusResponse status(int port) {
    try {
      return await(GrpcCalls.unary(grpc, address(port), AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance(), 1000));
    } catch (Exception e) {
      return null;
    }
  }

  static String text(ByteString bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private static SocketAddress address(int port) {
    return SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  private <T> T await(Future<T> future) throws Exception {
    // The call's own deadline ends it; the extra margin only guards against a call that never completes at all.
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs + 5000, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    grpc.close();
  }
}
