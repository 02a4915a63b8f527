package io.raftnode.transport;

import io.raftnode.codec.CodecException;
import io.raftnode.codec.RaftCodec;
import io.raftnode.proto.RaftEmpty;
import io.raftnode.proto.RaftServiceGrpcService;
import io.raftnode.proto.ReadIndexServiceGrpcService;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.StatusException;

/**
 * The server side of RaftService and of the ReadIndexService extension: decodes each payload, hands it to the
 * node's {@link RaftInbox}, encodes the answer. Only the methods raftnode serves are bound; the others answer
 * UNIMPLEMENTED. A payload that does not
 * decode is refused with INVALID_ARGUMENT before the node sees it, so it changes nothing.
 */
public final class RaftServiceEndpoint {
  private RaftServiceEndpoint() {}

  public static void bind(GrpcServer server, RaftInbox inbox) {
    server.callHandler(RaftServiceGrpcService.Vote, UnaryHandler.of(payload ->
        Payloads.decode(payload, RaftCodec::decodeVoteRequest, RaftServiceEndpoint::invalid)
            .compose(inbox::onVote)
            .map(response -> Payloads.wrap(RaftCodec.encodeVoteResponse(response)))));
    server.callHandler(RaftServiceGrpcService.AppendEntries, UnaryHandler.of(payload ->
        Payloads.decode(payload, RaftCodec::decodeAppendEntriesRequest, RaftServiceEndpoint::invalid)
            .compose(inbox::onAppendEntries)
            .map(response -> Payloads.wrap(RaftCodec.encodeAppendEntriesResponse(response)))));
    server.callHandler(RaftServiceGrpcService.TransferLeader, UnaryHandler.of(payload ->
        Payloads.decode(payload, RaftCodec::decodeTransferLeaderRequest, RaftServiceEndpoint::invalid)
            .compose(inbox::onTransferLeader)
            .map(v -> RaftEmpty.getDefaultInstance())));
    server.callHandler(ReadIndexServiceGrpcService.ReadIndex, UnaryHandler.of(payload ->
        Payloads.decode(payload, RaftCodec::decodeReadIndexRequest, RaftServiceEndpoint::invalid)
            .compose(inbox::onReadIndex)
            .map(response -> Payloads.wrap(RaftCodec.encodeReadIndexResponse(response)))));
  }

  private static Throwable invalid(CodecException e) {
    return new StatusException(GrpcStatus.INVALID_ARGUMENT, e.getMessage());
  }
}
