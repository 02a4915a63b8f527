package io.raftnode.internal.transport;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.grpc.GrpcMethod;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.grpc.ServerCall;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.StreamAppendResult;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.RaftServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The follower side of StreamAppend: every request on the stream goes to the node like a unary AppendEntries, and
 * the answers go back strictly in request order, each only once the node released it (after the entries are
 * durable). After a Conflict or HigherVote the stream ends, as openraft's followers do. Each request passes the
 * same identity and well-formedness checks as a unary AppendEntries; one that fails ends the stream with its status. Reading pauses
 * while the answers cannot be written as fast as requests arrive, and while the node's {@link AppendBuffer} is full
 * (requests not yet answered hold their bytes in it until answered or the stream ends): the leader's stream backs
 * up instead of this node's memory.
 */
public final class StreamAppendEndpoint {
  private static final Logger LOG = Logger.getLogger(StreamAppendEndpoint.class.getName());

  private StreamAppendEndpoint() {}

  private static final GrpcMethod<RaftPayload, RaftPayload> METHOD =
      GrpcMethod.of(RaftServiceGrpcService.StreamAppend, RaftPayload.parser());

  public static void bind(GrpcRoutes routes, RaftInbox inbox) {
    routes.bind(METHOD, call -> new Session(call, inbox).start());
  }

  private static final class Session {
    private final ServerCall<RaftPayload, RaftPayload> call;
    private final RaftInbox inbox;
    /** Answers not yet written, oldest first; a later one may complete before an earlier one. */
    private final ArrayDeque<Future<StreamAppendResult>> pending = new ArrayDeque<>();
    /** The bytes of each request in {@link #pending}, in the same order, held in the node's buffer. */
    private final ArrayDeque<Integer> pendingBytes = new ArrayDeque<>();
    private final AppendBuffer buffer;
    private boolean paused;
    private boolean inputEnded;
    /** The leader on this stream, known from its first request. */
    private PeerTraffic traffic = PeerTraffic.NONE;
    private boolean closed;

    Session(ServerCall<RaftPayload, RaftPayload> call, RaftInbox inbox) {
      this.call = call;
      this.inbox = inbox;
      this.buffer = inbox.appendBuffer();
    }

    void start() {
      call.handler(this::onRequest);
      call.endHandler(v -> {
        inputEnded = true;
        flush();
      });
      // The leader reset the stream or went away, or its deadline passed: nothing is written after it.
      call.cancelHandler(v -> close());
      call.drainHandler(v -> resumeIfRoom());
    }

    private void onRequest(RaftPayload payload) {
      if (closed) return;
      AppendEntriesRequest request;
      try {
        request = RaftCodec.decodeAppendEntriesRequest(payload.getData().toByteArray());
        // The same gate as unary AppendEntries: the certificate's node must be the claimed leader, and the
        // request must be well formed, before the node sees it.
        PeerIdentity.check(call.connection(), request.leaderNodeId(), "StreamAppend");
        PeerRequestChecks.checkAppend(request);
      } catch (CodecException e) {
        end(GrpcStatus.INVALID_ARGUMENT, e.getMessage());
        return;
      } catch (StatusException e) {
        end(e.status(), e.message());
        return;
      }
      traffic = inbox.trafficFrom(request.leaderNodeId());
      int size = payload.getData().size();
      traffic.received(size);
      Future<StreamAppendResult> answer = inbox.onAppendEntries(request).map(r -> toResult(request, r));
      buffer.add(size);
      pending.addLast(answer);
      pendingBytes.addLast(size);
      if (buffer.full()) pause();
      answer.onComplete(x -> flush());
    }

    /** Writes every answer at the head of the queue that is ready, in order. */
    private void flush() {
      while (!closed && !pending.isEmpty() && pending.peekFirst().isComplete()) {
        Future<StreamAppendResult> head = pending.pollFirst();
        buffer.release(pendingBytes.pollFirst());
        if (head.failed()) {
          LOG.log(Level.FINE, "stream append refused", head.cause());
          end(GrpcStatus.UNAVAILABLE, String.valueOf(head.cause().getMessage()));
          return;
        }
        StreamAppendResult result = head.result();
        byte[] encoded = RaftCodec.encodeStreamAppendResult(result);
        traffic.sent(encoded.length);
        call.write(Payloads.wrap(encoded));
        if (!(result instanceof StreamAppendResult.Ok)) {
          end(GrpcStatus.OK, null);
          return;
        }
        if (call.writeQueueFull()) pause();
      }
      if (!closed && inputEnded && pending.isEmpty()) end(GrpcStatus.OK, null);
    }

    private void pause() {
      if (paused) return;
      paused = true;
      call.pause();
      if (buffer.full()) buffer.whenRoom(this::resumeIfRoom);
    }

    private void resumeIfRoom() {
      if (!paused || closed) return;
      if (buffer.full()) {
        buffer.whenRoom(this::resumeIfRoom);
      } else if (!call.writeQueueFull()) {
        paused = false;
        call.resume();
      }
    }

    /** The stream is over: what its unanswered requests held leaves the node's buffer. */
    private void close() {
      if (closed) return;
      closed = true;
      pending.clear();
      pendingBytes.forEach(buffer::release);
      pendingBytes.clear();
    }

    private void end(GrpcStatus status, String message) {
      if (closed) return;
      close();
      call.end(status, message);
    }

    private static StreamAppendResult toResult(AppendEntriesRequest request, AppendEntriesResponse response) {
      if (response instanceof AppendEntriesResponse.Conflict conflict) {
        return new StreamAppendResult.Conflict(conflict.hint() == null
            ? io.raftnode.internal.model.LogId.of(0, 0, 0) : conflict.hint());
      }
      if (response instanceof AppendEntriesResponse.HigherVote higher) {
        return new StreamAppendResult.HigherVote(higher.vote());
      }
      if (response instanceof AppendEntriesResponse.PartialSuccess partial) {
        return new StreamAppendResult.Ok(partial.matching());
      }
      return new StreamAppendResult.Ok(request.lastLogId());
    }
  }
}
