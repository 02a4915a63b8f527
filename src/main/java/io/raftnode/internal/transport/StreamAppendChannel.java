package io.raftnode.internal.transport;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.StreamAppendResult;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.RaftServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.ArrayDeque;

/**
 * The leader side of one long-lived StreamAppend stream to one follower. Requests are written as they come (the
 * core bounds how many are in flight); each answer completes the oldest request still waiting, since the follower
 * answers strictly in order. When the stream breaks every waiting request fails, so the core goes back to probing,
 * and the stream is opened again on the next request after a backoff. A follower that does not serve
 * StreamAppend (UNIMPLEMENTED) is served by unary AppendEntries instead for a while.
 */
final class StreamAppendChannel {
  private static final long MIN_BACKOFF_MS = 20;
  private static final long MAX_BACKOFF_MS = 1_000;
  private static final long UNSUPPORTED_RECHECK_MS = 60_000;

  private record Waiting(AppendEntriesRequest request, Promise<AppendEntriesResponse> answer, long sentAtMs) {}

  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress address;
  private final long timeoutMs;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private GrpcClientRequest<Buffer, RaftPayload> stream;
  private boolean opening;
  private long generation;
  private long backoffMs = MIN_BACKOFF_MS;
  private long retryAtMs;
  private long unsupportedUntilMs;
  private long watchdog = -1;

  /**
   * StreamAppend as the generated client has it, except that requests go out as ready-made RaftPayload bytes
   * ({@link AppendEncodings}), which followers in step share.
   */
  private static final ServiceMethod<RaftPayload, Buffer> STREAM_APPEND = ServiceMethod.client(
      ServiceName.create("raftnode.v1", "RaftService"), "StreamAppend", GrpcMessageEncoder.IDENTITY,
      GrpcMessageDecoder.decoder(RaftPayload.newBuilder()));

  private final AppendEncodings encodings;

  private final PeerTraffic traffic;

  StreamAppendChannel(Vertx vertx, GrpcClient client, SocketAddress address, long timeoutMs,
      AppendEncodings encodings, PeerTraffic traffic) {
    this.encodings = encodings;
    this.traffic = traffic;
    this.vertx = vertx;
    this.client = client;
    this.address = address;
    this.timeoutMs = timeoutMs;
  }

  /** False while the stream is broken (backing off) or the peer does not offer it: use unary AppendEntries. */
  boolean usable() {
    long now = System.currentTimeMillis();
    return now >= unsupportedUntilMs && (stream != null || opening || now >= retryAtMs);
  }

  Future<AppendEntriesResponse> send(AppendEntriesRequest request) {
    Promise<AppendEntriesResponse> answer = Promise.promise();
    waiting.addLast(new Waiting(request, answer, System.currentTimeMillis()));
    Buffer payload = encodings.raftPayload(request);
    traffic.sent(payload.length());
    if (stream != null) {
      stream.write(payload);
    } else {
      pendingWrites.addLast(payload);
      if (!opening) open();
    }
    return answer.future();
  }

  /** Requests accepted before the stream was open, written as soon as it is. */
  private final ArrayDeque<Buffer> pendingWrites = new ArrayDeque<>();

  private void open() {
    opening = true;
    long myGeneration = ++generation;
    client.request(address, STREAM_APPEND).onComplete((call, err) -> {
      if (myGeneration != generation) {
        if (call != null) call.cancel();
        return;
      }
      opening = false;
      if (err != null) {
        broken(err, false);
        return;
      }
      stream = call;
      call.exceptionHandler(e -> onBroken(myGeneration, e, false));
      call.response().onComplete((response, e) -> {
        if (e != null) {
          onBroken(myGeneration, e, false);
        } else {
          listen(myGeneration, response);
        }
      });
      while (!pendingWrites.isEmpty()) call.write(pendingWrites.pollFirst());
      startWatchdog();
    });
  }

  private void listen(long myGeneration, GrpcClientResponse<Buffer, RaftPayload> response) {
    if (response.status() == GrpcStatus.UNIMPLEMENTED) {
      onBroken(myGeneration, new RemoteCallException(GrpcStatus.UNIMPLEMENTED, response.statusMessage()), true);
      return;
    }
    response.handler(payload -> onResult(myGeneration, payload));
    response.exceptionHandler(e -> onBroken(myGeneration, e, false));
    response.endHandler(v -> {
      boolean unsupported = response.status() == GrpcStatus.UNIMPLEMENTED;
      onBroken(myGeneration, new RemoteCallException(
          response.status() == null ? GrpcStatus.UNAVAILABLE : response.status(), "stream ended"), unsupported);
    });
  }

  private void onResult(long myGeneration, RaftPayload payload) {
    if (myGeneration != generation) return;
    traffic.received(payload.getData().size());
    Waiting head = waiting.pollFirst();
    if (head == null) {
      onBroken(myGeneration, new IllegalStateException("an answer with no request waiting"), false);
      return;
    }
    StreamAppendResult result;
    try {
      result = RaftCodec.decodeStreamAppendResult(payload.getData().toByteArray());
    } catch (CodecException e) {
      head.answer().tryFail(new IllegalStateException("peer sent a malformed stream result: " + e.getMessage(), e));
      onBroken(myGeneration, e, false);
      return;
    }
    backoffMs = MIN_BACKOFF_MS;
    head.answer().tryComplete(toResponse(head.request(), result));
  }

  private static AppendEntriesResponse toResponse(AppendEntriesRequest request, StreamAppendResult result) {
    if (result instanceof StreamAppendResult.Conflict conflict) return new AppendEntriesResponse.Conflict(conflict.hint());
    if (result instanceof StreamAppendResult.HigherVote higher) return new AppendEntriesResponse.HigherVote(higher.vote());
    LogId last = ((StreamAppendResult.Ok) result).last();
    return java.util.Objects.equals(last, request.lastLogId())
        ? AppendEntriesResponse.Success.INSTANCE
        : new AppendEntriesResponse.PartialSuccess(last);
  }

  private void onBroken(long myGeneration, Throwable cause, boolean unsupported) {
    if (myGeneration == generation) broken(cause, unsupported);
  }

  /** Fails everything waiting and forgets the stream; the next request after the backoff opens a new one. */
  private void broken(Throwable cause, boolean unsupported) {
    generation++;
    opening = false;
    if (stream != null) stream.cancel();
    stream = null;
    pendingWrites.clear();
    stopWatchdog();
    long now = System.currentTimeMillis();
    if (unsupported) {
      unsupportedUntilMs = now + UNSUPPORTED_RECHECK_MS;
    } else {
      retryAtMs = now + backoffMs;
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
    while (!waiting.isEmpty()) waiting.pollFirst().answer().tryFail(cause);
  }

  /** A follower that stops answering (paused, partitioned) must not hold the leader's window forever. */
  private void startWatchdog() {
    if (watchdog >= 0) return;
    long myGeneration = generation;
    watchdog = vertx.setPeriodic(Math.max(50, timeoutMs / 4), id -> {
      Waiting oldest = waiting.peekFirst();
      if (oldest != null && System.currentTimeMillis() - oldest.sentAtMs() > timeoutMs) {
        onBroken(myGeneration, new RemoteCallException(GrpcStatus.DEADLINE_EXCEEDED,
            "no answer on the append stream within " + timeoutMs + " ms"), false);
      }
    });
  }

  private void stopWatchdog() {
    if (watchdog >= 0) vertx.cancelTimer(watchdog);
    watchdog = -1;
  }

  void close() {
    broken(new IllegalStateException("closed"), false);
  }
}
