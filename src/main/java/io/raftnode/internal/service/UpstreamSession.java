package io.raftnode.internal.service;

import io.raftnode.internal.transport.RequestNotSentException;
import io.raftnode.proto.KvSessionServiceGrpcClient;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.raftnode.proto.SessionResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One KvSessionService stream from a follower to the leader, carrying one client session's forwarded calls: opened
 * with the first call, with the hop marker and what is left of the client session's deadline. Calls forwarded in one
 * event-loop turn go out in one SessionRequest. Each call ends after its own timeout if the leader has not answered
 * (a leader that stopped answering cannot hold it). How calls fail when the stream breaks: one not written yet was
 * never sent ({@link RequestNotSentException}); all of them, when the leader ended the stream UNIMPLEMENTED before
 * answering anything ({@link ForwardedSession.SessionsNotServed}); any other may have reached the leader.
 */
final class UpstreamSession {
  /** Calls are packed into messages of about this size; a larger call goes alone (the leader accepts up to 16 MiB). */
  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  private record Waiting(Promise<SessionAnswer> answer, long timer) {}

  private final Vertx vertx;
  private final SocketAddress leader;
  private final Runnable pause;
  private final Runnable resume;
  private final Map<Long, Waiting> waiting = new HashMap<>();
  private final List<SessionCall> unsent = new ArrayList<>();
  private GrpcClientRequest<SessionRequest, SessionResponse> stream;
  private boolean flushScheduled;
  private boolean answeredAny;
  private boolean full;
  private boolean ending;
  private Throwable broken;
  private long nextCallId = 1;

  UpstreamSession(Vertx vertx, GrpcClient forwarder, SocketAddress leader, Map<String, String> headers,
      CallDeadline deadline, Runnable pause, Runnable resume) {
    this.vertx = vertx;
    this.leader = leader;
    this.pause = pause;
    this.resume = resume;
    forwarder.request(leader, KvSessionServiceGrpcClient.Session).onComplete((opened, err) -> {
      if (err != null) {
        breakAll(new RequestNotSentException(leader.toString(), err), true);
        return;
      }
      headers.forEach((name, value) -> opened.headers().set(name, value));
      long timeoutMs = ForwardedSession.timeoutOf(deadline);
      if (timeoutMs > 0) opened.timeout(timeoutMs, ForwardedSession.MS);
      stream = opened;
      attach(opened);
      flush();
      if (ending) endIfIdle();
    });
  }

  SocketAddress leader() {
    return leader;
  }

  boolean usable() {
    return broken == null && !ending;
  }

  boolean full() {
    return full;
  }

  Future<SessionAnswer> call(SessionCall.Builder call, long timeoutMs) {
    if (!usable()) return Future.failedFuture(new RequestNotSentException(leader.toString(), null));
    long callId = nextCallId++;
    Promise<SessionAnswer> answer = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, timeoutMs), id -> timedOut(callId, timeoutMs));
    waiting.put(callId, new Waiting(answer, timer));
    // The leader bounds the call by what is left of it, as a unary forward's grpc-timeout does.
    unsent.add(call.setCallId(callId).setTimeoutMs(Math.max(1, timeoutMs)).build());
    if (stream != null && !flushScheduled) {
      flushScheduled = true;
      vertx.getOrCreateContext().runOnContext(v -> flush());
    }
    return answer.future();
  }

  /** No more calls: half-close once the calls sent are answered (or at once, dropping their answers, on reset). */
  void end(boolean reset) {
    ending = true;
    if (reset && stream != null && broken == null) {
      stream.cancel();
      breakAll(new IllegalStateException("the client's session ended"), false);
      return;
    }
    endIfIdle();
  }

  private void attach(GrpcClientRequest<SessionRequest, SessionResponse> opened) {
    opened.drainHandler(v -> {
      if (full) {
        full = false;
        resume.run();
      }
    });
    opened.exceptionHandler(e -> breakAll(e, false));
    opened.response().onComplete((response, failed) -> {
      if (failed != null) {
        breakAll(failed, false);
        return;
      }
      response.handler(this::onAnswers);
      response.exceptionHandler(e -> breakAll(e, false));
      response.endHandler(v -> ended(response));
    });
  }

  private void flush() {
    flushScheduled = false;
    if (broken != null || stream == null || unsent.isEmpty()) return;
    SessionRequest.Builder message = SessionRequest.newBuilder();
    int bytes = 0;
    for (SessionCall call : unsent) {
      int size = call.getSerializedSize();
      if (message.getCallsCount() > 0 && (message.getCallsCount() == KvSessionEndpoint.MAX_CALLS_IN_FLIGHT
          || bytes + size > MAX_MESSAGE_BYTES)) {
        stream.write(message.build());
        message.clear();
        bytes = 0;
      }
      message.addCalls(call);
      bytes += size;
    }
    stream.write(message.build());
    unsent.clear();
    if (!full && stream.writeQueueFull()) {
      full = true;
      pause.run();
    }
  }

  private void onAnswers(SessionResponse response) {
    answeredAny = true;
    for (SessionAnswer answer : response.getAnswersList()) {
      Waiting w = waiting.remove(answer.getCallId());
      if (w == null) continue; // timed out meanwhile
      vertx.cancelTimer(w.timer());
      if (answer.hasError()) {
        w.answer().fail(ForwardedSession.remoteFailure(answer.getError()));
      } else {
        w.answer().complete(answer);
      }
    }
    if (ending) endIfIdle();
  }

  private void timedOut(long callId, long timeoutMs) {
    Waiting w = waiting.remove(callId);
    if (w != null) {
      w.answer().fail(new IllegalStateException("no answer from the leader " + leader + " within " + timeoutMs + " ms"));
      if (ending) endIfIdle();
    }
  }

  private void endIfIdle() {
    if (stream != null && broken == null && waiting.isEmpty()) {
      broken = new IllegalStateException("the session to the leader was ended");
      stream.end();
    }
  }

  private void ended(GrpcClientResponse<SessionRequest, SessionResponse> response) {
    GrpcStatus status = response.status();
    String what = "the session stream to the leader " + leader + " ended with " + status
        + (response.statusMessage() == null ? "" : ": " + response.statusMessage());
    if (status == GrpcStatus.UNIMPLEMENTED && !answeredAny) {
      breakAll(new ForwardedSession.SessionsNotServed(what), true);
    } else {
      breakAll(new IllegalStateException(what), false);
    }
  }

  /** Fails every waiting call: with {@code failure} if it was written (or {@code noneRead}), else as never sent. */
  private void breakAll(Throwable failure, boolean noneRead) {
    if (broken == null) broken = failure;
    java.util.Set<Long> notWritten = new java.util.HashSet<>();
    for (SessionCall call : unsent) notWritten.add(call.getCallId());
    unsent.clear();
    List<Map.Entry<Long, Waiting>> all = new ArrayList<>(waiting.entrySet());
    waiting.clear();
    for (Map.Entry<Long, Waiting> e : all) {
      vertx.cancelTimer(e.getValue().timer());
      e.getValue().answer().tryFail(noneRead || !notWritten.contains(e.getKey()) ? failure
          : new RequestNotSentException(leader.toString(), failure));
    }
    if (full) {
      full = false;
      resume.run();
    }
  }
}
