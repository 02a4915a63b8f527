package io.raftnode.client;

import io.raftnode.client.RaftKvException.Reason;
import io.raftnode.proto.CallError;
import io.raftnode.proto.KvSessionServiceGrpcClient;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.raftnode.proto.SessionResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One KvSessionService stream to one node, opened with the first call. Calls sent in the same event-loop turn go
 * out together in one SessionRequest (split to stay within the node's limits); answers are matched to their calls
 * by call id. When the stream breaks, a call still waiting was not carried out if it had not been written yet, or
 * if the node ended the stream UNIMPLEMENTED before answering anything (it serves no sessions); any other waiting
 * call may have been.
 */
final class SessionChannel implements NodeChannel {
  /** The node refuses a SessionRequest with more calls (KvSessionEndpoint.MAX_CALLS_IN_FLIGHT). */
  static final int MAX_CALLS_PER_MESSAGE = 4096;
  /** Calls are packed into messages of about this size; a larger call goes alone (the node accepts up to 16 MiB). */
  static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final GrpcClient grpc;
  private final NodeAddress address;
  private final Context context;
  private final Map<Long, Promise<SessionAnswer>> waiting = new HashMap<>();
  private final List<SessionCall> unsent = new ArrayList<>();
  private GrpcClientRequest<SessionRequest, SessionResponse> stream;
  private boolean opening;
  private boolean flushScheduled;
  private boolean answeredAny;
  private CallFailure broken;
  private long nextCallId = 1;

  SessionChannel(GrpcClient grpc, NodeAddress address, Context context) {
    this.grpc = grpc;
    this.address = address;
    this.context = context;
  }

  @Override
  public Future<SessionAnswer> send(SessionCall.Builder call, long timeoutMs) {
    if (broken != null) return Future.failedFuture(CallFailure.notSent("the session to " + address + " has ended"));
    long callId = nextCallId++;
    Promise<SessionAnswer> answer = Promise.promise();
    waiting.put(callId, answer);
    unsent.add(call.setCallId(callId).setTimeoutMs(Math.max(1, timeoutMs)).build());
    if (stream == null) {
      open();
    } else if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
    return answer.future();
  }

  @Override
  public boolean usable() {
    return broken == null;
  }

  @Override
  public void close() {
    if (stream != null && broken == null) stream.cancel();
    breakAll(CallFailure.lost("the client closed the session to " + address), false);
  }

  private void open() {
    if (opening) return;
    opening = true;
    grpc.request(address.socketAddress(), KvSessionServiceGrpcClient.Session).onComplete((opened, err) -> {
      if (err != null) {
        breakAll(CallFailure.notSent("cannot reach " + address + ": " + err.getMessage()), true);
        return;
      }
      stream = opened;
      opened.exceptionHandler(e -> breakAll(UnaryChannel.transportFailure(address, e), false));
      opened.response().onComplete((response, failed) -> {
        if (failed != null) {
          breakAll(UnaryChannel.transportFailure(address, failed), false);
          return;
        }
        response.handler(this::onAnswers);
        response.exceptionHandler(e -> breakAll(UnaryChannel.transportFailure(address, e), false));
        response.endHandler(v -> ended(response));
      });
      flush();
    });
  }

  /** Writes the calls not sent yet, in messages within the node's limits. */
  private void flush() {
    flushScheduled = false;
    if (broken != null || stream == null || unsent.isEmpty()) return;
    SessionRequest.Builder message = SessionRequest.newBuilder();
    int bytes = 0;
    for (SessionCall call : unsent) {
      int size = call.getSerializedSize();
      if (message.getCallsCount() > 0
          && (message.getCallsCount() == MAX_CALLS_PER_MESSAGE || bytes + size > MAX_MESSAGE_BYTES)) {
        stream.write(message.build());
        message.clear();
        bytes = 0;
      }
      message.addCalls(call);
      bytes += size;
    }
    stream.write(message.build());
    unsent.clear();
  }

  private void onAnswers(SessionResponse response) {
    answeredAny = true;
    for (SessionAnswer answer : response.getAnswersList()) {
      Promise<SessionAnswer> promise = waiting.remove(answer.getCallId());
      if (promise == null) continue; // a call already given up when its session was closed
      if (answer.hasError()) {
        promise.fail(failure(answer.getError()));
      } else {
        promise.complete(answer);
      }
    }
  }

  private CallFailure failure(CallError error) {
    GrpcStatus status = GrpcStatus.valueOf(error.getCode());
    return CallFailure.answered(status, address + " answered " + status.name() + ": " + error.getMessage(),
        Reason.ofWord(error.getReason()), error.getLeaderId(), error.getLeaderAddress(), error.getRetryAfterMs());
  }

  private void ended(GrpcClientResponse<SessionRequest, SessionResponse> response) {
    GrpcStatus status = response.status();
    String detail = "the session to " + address + " ended with " + status
        + (response.statusMessage() == null ? "" : ": " + response.statusMessage());
    if (status == GrpcStatus.UNIMPLEMENTED && !answeredAny) {
      breakAll(CallFailure.sessionsNotServed(detail), true);
    } else {
      breakAll(CallFailure.lost(detail), false);
    }
  }

  /**
   * Fails every waiting call: with {@code failure} if it was written (or {@code noneRead}: the node read none of
   * them), else as not sent.
   */
  private void breakAll(CallFailure failure, boolean noneRead) {
    if (broken != null) return;
    broken = failure;
    java.util.Set<Long> notWritten = new java.util.HashSet<>();
    for (SessionCall call : unsent) notWritten.add(call.getCallId());
    unsent.clear();
    List<Map.Entry<Long, Promise<SessionAnswer>>> all = new ArrayList<>(waiting.entrySet());
    waiting.clear();
    CallFailure notSent = CallFailure.notSent(failure.getMessage() + " before the call was sent");
    for (Map.Entry<Long, Promise<SessionAnswer>> e : all) {
      e.getValue().tryFail(noneRead || !notWritten.contains(e.getKey()) ? failure : notSent);
    }
  }
}
