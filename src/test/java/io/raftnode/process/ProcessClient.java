package io.raftnode.process;

import com.google.protobuf.ByteString;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.proto.AddLearnerRequest;
import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.ChangeMembershipRequest;
import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.MembershipResponse;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.raftnode.proto.RemoveMemberRequest;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Blocking gRPC calls to the client port of a node process, each with a deadline; plaintext or TLS. */
final class ProcessClient implements AutoCloseable {
  private final GrpcClient grpc;
  private final long timeoutMs;

  ProcessClient(Vertx vertx, long timeoutMs) {
    this(vertx, timeoutMs, null, null, null, false);
  }

  /**
   * With {@code ca}, calls run over TLS, checking the node's certificate against the CA (and, with
   * {@code verifyHost}, against the host dialed); with {@code cert} and {@code key} too, the client presents that
   * certificate (for a client port requiring one).
   */
  ProcessClient(Vertx vertx, long timeoutMs, Path ca, Path cert, Path key, boolean verifyHost) {
    HttpClientOptions http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    if (ca != null) {
      http.setSsl(true).setUseAlpn(true).setVerifyHost(verifyHost).setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()));
      if (cert != null) http.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()));
    }
    // Values up to the node's 1 MiB limit come back in one message, past the client's 256 KiB default.
    this.grpc = GrpcClient.client(vertx, new io.vertx.grpc.client.GrpcClientOptions().setMaxMessageSize(16 << 20), http);
    this.timeoutMs = timeoutMs;
  }

  PutResponse put(int port, String key, String value) throws Exception {
    return put(address(port), key, value);
  }

  PutResponse put(SocketAddress node, String key, String value) throws Exception {
    PutRequest request = PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8(value)).build();
    return await(GrpcCalls.unary(grpc, node, KvServiceGrpcClient.Put, request, timeoutMs));
  }

  PutResponse put(int port, String key, byte[] value) throws Exception {
    PutRequest request = PutRequest.newBuilder().setKey(utf8(key)).setValue(ByteString.copyFrom(value)).build();
    return await(GrpcCalls.unary(grpc, address(port), KvServiceGrpcClient.Put, request, timeoutMs));
  }

  GetResponse get(int port, String key, Consistency consistency) throws Exception {
    return get(address(port), key, consistency);
  }

  GetResponse get(SocketAddress node, String key, Consistency consistency) throws Exception {
    GetRequest request = GetRequest.newBuilder().setKey(utf8(key)).setConsistency(consistency).build();
    return await(GrpcCalls.unary(grpc, node, KvServiceGrpcClient.Get, request, timeoutMs));
  }

  CompareAndSwapResponse cas(int port, String key, String expected, String newValue) throws Exception {
    CompareAndSwapRequest.Builder b = CompareAndSwapRequest.newBuilder().setKey(utf8(key)).setNewValue(utf8(newValue));
    if (expected != null) b.setExpectPresent(true).setExpected(utf8(expected));
    return await(GrpcCalls.unary(grpc, address(port), KvServiceGrpcClient.CompareAndSwap, b.build(), timeoutMs));
  }

  MembershipResponse addLearner(int port, int id, int peerPort, int clientPort) throws Exception {
    return addLearner(address(port), id, "127.0.0.1:" + peerPort, "127.0.0.1:" + clientPort);
  }

  MembershipResponse addLearner(SocketAddress node, int id, String peerAddress, String clientAddress) throws Exception {
    AddLearnerRequest request = AddLearnerRequest.newBuilder().setNodeId(id).setPeerAddress(peerAddress)
        .setClientAddress(clientAddress).build();
    return await(GrpcCalls.unary(grpc, node, AdminServiceGrpcClient.AddLearner, request, timeoutMs));
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
    return status(address(port));
  }

  /** The node's status, or null when it does not answer in time. */
  StatusResponse status(SocketAddress node) {
    try {
      return await(GrpcCalls.unary(grpc, node, AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance(), 1000));
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
