package io.raftnode.cluster;

import io.raftnode.HostAndPort;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.RaftServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Raw RaftService calls to one node, as an outsider or a misbehaving peer would make them. */
final class PeerCalls implements AutoCloseable {
  static final long TIMEOUT_MS = 5000;
  private final GrpcClient grpc;
  private final SocketAddress address;

  PeerCalls(Vertx vertx, HostAndPort peer, HttpClientOptions options) {
    this.grpc = GrpcClient.client(vertx, options);
    this.address = SocketAddress.inetSocketAddress(peer.port(), peer.host());
  }

  static HttpClientOptions plaintext() {
    return new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
  }

  /** TLS trusting {@code ca}, presenting {@code cert}/{@code key} unless they are null. */
  static HttpClientOptions tls(Path ca, Path cert, Path key) {
    HttpClientOptions options = plaintext().setSsl(true).setUseAlpn(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()));
    if (cert != null) options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()));
    return options;
  }

  Future<RaftPayload> vote(byte[] data) {
    return GrpcCalls.unary(grpc, address, RaftServiceGrpcClient.Vote, payload(data), TIMEOUT_MS);
  }

  Future<RaftPayload> append(byte[] data) {
    return GrpcCalls.unary(grpc, address, RaftServiceGrpcClient.AppendEntries, payload(data), TIMEOUT_MS);
  }

  Future<RaftPayload> vote(VoteRequest request) {
    return vote(RaftCodec.encodeVoteRequest(request));
  }

  Future<RaftPayload> append(AppendEntriesRequest request) {
    return append(RaftCodec.encodeAppendEntriesRequest(request));
  }

  static RaftPayload payload(byte[] data) {
    return RaftPayload.newBuilder().setData(com.google.protobuf.ByteString.copyFrom(data)).build();
  }

  /** The gRPC status the call ended with: OK, the server's status, or null when it never got an answer. */
  static GrpcStatus status(Future<?> call) {
    try {
      call.toCompletionStage().toCompletableFuture().get(TIMEOUT_MS + 5000, TimeUnit.MILLISECONDS);
      return GrpcStatus.OK;
    } catch (ExecutionException e) {
      return e.getCause() instanceof RemoteCallException remote ? remote.status() : null;
    } catch (Exception e) {
      throw new AssertionError("the call did not end within its deadline: " + e, e);
    }
  }

  @Override
  public void close() {
    grpc.close();
  }
}
