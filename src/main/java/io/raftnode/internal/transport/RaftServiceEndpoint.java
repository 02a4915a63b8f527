package io.raftnode.internal.transport;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.grpc.GrpcMethod;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.grpc.UnaryCalls;
import io.raftnode.proto.RaftEmpty;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.RaftServiceGrpcService;
import io.raftnode.proto.ReadIndexServiceGrpcService;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * The server side of RaftService (the unary methods; StreamAppend is {@link StreamAppendEndpoint}) and of the
 * ReadIndexService extension: decodes each payload, checks it, hands it to the node's {@link RaftInbox}, encodes
 * the answer. Only the methods raftnode serves are bound; the others answer UNIMPLEMENTED ({@link GrpcRoutes}).
 *
 * <p>Before the node sees a request it must decode (else INVALID_ARGUMENT), speak only for the node its TLS
 * certificate names (else PERMISSION_DENIED, {@link PeerIdentity}) and pass {@link PeerRequestChecks}. A refused
 * request changes nothing.
 */
public final class RaftServiceEndpoint {
  private static final GrpcMethod<RaftPayload, RaftPayload> VOTE = GrpcMethod.of(RaftServiceGrpcService.Vote,
      RaftPayload.parser());
  private static final GrpcMethod<RaftPayload, RaftPayload> APPEND_ENTRIES =
      GrpcMethod.of(RaftServiceGrpcService.AppendEntries, RaftPayload.parser());
  private static final GrpcMethod<RaftPayload, RaftEmpty> TRANSFER_LEADER =
      GrpcMethod.of(RaftServiceGrpcService.TransferLeader, RaftPayload.parser());
  private static final GrpcMethod<RaftPayload, RaftPayload> READ_INDEX =
      GrpcMethod.of(ReadIndexServiceGrpcService.ReadIndex, RaftPayload.parser());

  private RaftServiceEndpoint() {}

  public static void bind(GrpcRoutes routes, RaftInbox inbox) {
    UnaryCalls.serve(routes, VOTE, (call, payload) ->
        Payloads.decode(payload, RaftCodec::decodeVoteRequest, RaftServiceEndpoint::invalid)
            .compose(request -> {
              PeerIdentity.check(call.connection(), request.candidateId(), "Vote");
              PeerRequestChecks.checkVote(request, inbox.currentMembership());
              PeerTraffic traffic = inbox.trafficFrom(request.candidateId());
              traffic.received(payload.getData().size());
              return inbox.onVote(request).map(response -> answer(traffic, RaftCodec.encodeVoteResponse(response)));
            }));
    UnaryCalls.serve(routes, APPEND_ENTRIES, (call, payload) ->
        Payloads.decode(payload, RaftCodec::decodeAppendEntriesRequest, RaftServiceEndpoint::invalid)
            .compose(request -> {
              PeerIdentity.check(call.connection(), request.leaderNodeId(), "AppendEntries");
              PeerRequestChecks.checkAppend(request);
              PeerTraffic traffic = inbox.trafficFrom(request.leaderNodeId());
              traffic.received(payload.getData().size());
              return inbox.onAppendEntries(request)
                  .map(response -> answer(traffic, RaftCodec.encodeAppendEntriesResponse(response)));
            }));
    UnaryCalls.serve(routes, TRANSFER_LEADER, (call, payload) ->
        Payloads.decode(payload, RaftCodec::decodeTransferLeaderRequest, RaftServiceEndpoint::invalid)
            .compose(request -> {
              PeerIdentity.check(call.connection(), request.fromLeader().leaderId().nodeId(), "TransferLeader");
              return inbox.onTransferLeader(request);
            })
            .map(v -> RaftEmpty.getDefaultInstance()));
    UnaryCalls.serve(routes, READ_INDEX, (call, payload) ->
        Payloads.decode(payload, RaftCodec::decodeReadIndexRequest, RaftServiceEndpoint::invalid)
            .compose(request -> {
              PeerIdentity.check(call.connection(), request.from(), "ReadIndex");
              PeerTraffic traffic = inbox.trafficFrom(request.from());
              traffic.received(payload.getData().size());
              return inbox.onReadIndex(request).map(response -> answer(traffic, RaftCodec.encodeReadIndexResponse(response)));
            }));
  }

  private static RaftPayload answer(PeerTraffic traffic, byte[] encoded) {
    traffic.sent(encoded.length);
    return Payloads.wrap(encoded);
  }

  private static Throwable invalid(CodecException e) {
    return new StatusException(GrpcStatus.INVALID_ARGUMENT, e.getMessage());
  }
}
