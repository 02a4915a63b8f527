package io.raftnode.internal.transport;

import io.raftnode.HostAndPort;
import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.ReadIndexRequest;
import io.raftnode.internal.model.ReadIndexResponse;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.RaftServiceGrpcClient;
import io.raftnode.proto.ReadIndexServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;

/** The client side of RaftService (and ReadIndexService) towards one peer: encode, call with a deadline, decode. */
public final class PeerClient {
  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress address;
  private final long timeoutMs;
  private final StreamAppendChannel stream;
  private final AppendEncodings encodings;
  private final PeerTraffic traffic;

  public PeerClient(Vertx vertx, GrpcClient client, HostAndPort address, long timeoutMs, boolean useStream,
      AppendEncodings encodings) {
    this(vertx, client, address, timeoutMs, useStream, encodings, PeerTraffic.NONE);
  }

  /**
   * @param useStream replicate over a long-lived StreamAppend stream (the primary path); false sends every
   *                  request as a unary AppendEntries call
   * @param encodings shared by all of a node's peer clients, so a batch sent to several followers is encoded once
   * @param traffic   counts the bytes and round trips of the calls to this peer
   */
  public PeerClient(Vertx vertx, GrpcClient client, HostAndPort address, long timeoutMs, boolean useStream,
      AppendEncodings encodings, PeerTraffic traffic) {
    this.encodings = encodings;
    this.traffic = traffic;
    this.vertx = vertx;
    this.client = client;
    this.address = SocketAddress.inetSocketAddress(address.port(), address.host());
    this.timeoutMs = timeoutMs;
    this.stream = useStream ? new StreamAppendChannel(vertx, client, this.address, timeoutMs, encodings, traffic) : null;
  }

  public void close() {
    if (stream != null) stream.close();
  }

  public Future<VoteResponse> vote(VoteRequest request) {
    long start = System.nanoTime();
    return counted(GrpcCalls.unary(client, address, RaftServiceGrpcClient.Vote,
            counted(Payloads.wrap(RaftCodec.encodeVoteRequest(request))), timeoutMs))
        .onSuccess(reply -> traffic.roundTrip(System.nanoTime() - start))
        .compose(reply -> Payloads.decode(reply, RaftCodec::decodeVoteResponse, PeerClient::malformedReply));
  }

  /** Replicates over the stream when it is usable, else as a unary call (the fallback path). */
  public Future<AppendEntriesResponse> appendEntries(AppendEntriesRequest request) {
    long start = System.nanoTime();
    Future<AppendEntriesResponse> answer = stream != null && stream.usable() ? stream.send(request)
        : counted(GrpcCalls.unary(client, address, RaftServiceGrpcClient.AppendEntries,
                counted(Payloads.wrap(encodings.msgpack(request))), timeoutMs))
            .compose(reply -> Payloads.decode(reply, RaftCodec::decodeAppendEntriesResponse, PeerClient::malformedReply));
    // A heartbeat waits for no disk write of its own, so its answer measures the network and the peer's queue.
    if (request.entries().isEmpty()) answer.onSuccess(r -> traffic.roundTrip(System.nanoTime() - start));
    return answer;
  }

  public Future<Void> transferLeader(TransferLeaderRequest request) {
    return GrpcCalls.unary(client, address, RaftServiceGrpcClient.TransferLeader,
            counted(Payloads.wrap(RaftCodec.encodeTransferLeaderRequest(request))), timeoutMs)
        .mapEmpty();
  }

  public Future<ReadIndexResponse> readIndex(ReadIndexRequest request) {
    return counted(GrpcCalls.unary(client, address, ReadIndexServiceGrpcClient.ReadIndex,
            counted(Payloads.wrap(RaftCodec.encodeReadIndexRequest(request))), timeoutMs))
        .compose(reply -> Payloads.decode(reply, RaftCodec::decodeReadIndexResponse, PeerClient::malformedReply));
  }

  /**
   * Streams a snapshot to the peer (the Snapshot method); completes with the peer's answer, or fails when the
   * stream breaks or the peer refuses it. Flow control comes from the stream: see {@link SnapshotSender}.
   */
  public Future<SnapshotResponse> sendSnapshot(Vote vote, SnapshotMeta meta, SnapshotSender.ChunkSource source,
      int chunkBytes) {
    return SnapshotSender.send(vertx, client, address, vote, meta, source, chunkBytes);
  }

  private RaftPayload counted(RaftPayload request) {
    traffic.sent(request.getData().size());
    return request;
  }

  private Future<RaftPayload> counted(Future<RaftPayload> reply) {
    return reply.onSuccess(payload -> traffic.received(payload.getData().size()));
  }

  /** A peer that answers with bytes we cannot decode is treated like an unreachable one. */
  private static Throwable malformedReply(CodecException e) {
    return new IllegalStateException("peer sent a malformed reply: " + e.getMessage(), e);
  }
}
