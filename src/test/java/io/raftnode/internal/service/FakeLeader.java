package io.raftnode.internal.service;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftnode.HostAndPort;
import io.raftnode.proto.CallError;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.raftnode.proto.SessionResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client port of a leader that misbehaves in one chosen way once a forwarded call's request has fully arrived:
 * it resets the stream, closes the connection, never answers, or answers with a gRPC status and trailers of the
 * test's choosing (on a session stream: a CallError per call). Plain HTTP/2 (h2c), so the test controls every frame the caller sees.
 */
final class FakeLeader implements AutoCloseable {
  enum Behaviour { RESET_STREAM, CLOSE_CONNECTION, HANG, ANSWER_STATUS }

  private final Vertx vertx;
  private HttpServer http;
  volatile Behaviour behaviour = Behaviour.HANG;
  volatile int answerStatus;
  volatile String answerMessage = "";
  volatile Map<String, String> answerTrailers = Map.of();
  final AtomicInteger requests = new AtomicInteger();
  volatile MultiMap lastHeaders;

  FakeLeader(Vertx vertx) {
    this.vertx = vertx;
  }

  HostAndPort start() throws Exception {
    http = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(this::handle)
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new HostAndPort("127.0.0.1", http.actualPort());
  }

  /** The grpc-timeout header of the last request, or null. */
  String lastTimeoutHeader() {
    MultiMap headers = lastHeaders;
    return headers == null ? null : headers.get("grpc-timeout");
  }

  private void handle(HttpServerRequest request) {
    // Recorded on arrival: a session stream's body goes on for as long as the stream does.
    lastHeaders = request.headers();
    if (behaviour == Behaviour.ANSWER_STATUS && request.path().endsWith("/Session")) {
      answerSessionCalls(request);
      return;
    }
    request.body().onSuccess(body -> {
      requests.incrementAndGet();
      switch (behaviour) {
        case RESET_STREAM -> request.response().reset(8); // CANCEL, after the whole request arrived
        case CLOSE_CONNECTION -> request.connection().close();
        case HANG -> { }
        case ANSWER_STATUS -> {
          // Trailers-only, as a gRPC server (the node's among them) answers a call that fails before any message.
          var response = request.response().putHeader("content-type", "application/grpc");
          response.putHeader("grpc-status", String.valueOf(answerStatus));
          response.putHeader("grpc-message", answerMessage);
          answerTrailers.forEach(response::putHeader);
          response.end();
        }
      }
    });
  }

  /**
   * A session stream: every call of every message is answered with a CallError carrying the chosen status and
   * trailers, as the node's KvSessionEndpoint answers a call that fails (the stream itself stays open).
   */
  private void answerSessionCalls(HttpServerRequest request) {
    var response = request.response().putHeader("content-type", "application/grpc");
    Buffer[] received = {Buffer.buffer()};
    request.handler(chunk -> {
      received[0].appendBuffer(chunk);
      Buffer pending = received[0];
      while (pending.length() >= 5 && pending.length() >= 5 + pending.getInt(1)) {
        int length = pending.getInt(1);
        SessionRequest calls;
        try {
          calls = SessionRequest.parseFrom(pending.getBytes(5, 5 + length));
        } catch (InvalidProtocolBufferException e) {
          request.response().reset(2);
          return;
        }
        pending = pending.getBuffer(5 + length, pending.length());
        received[0] = pending;
        SessionResponse.Builder answers = SessionResponse.newBuilder();
        for (SessionCall call : calls.getCallsList()) {
          requests.incrementAndGet();
          answers.addAnswers(SessionAnswer.newBuilder().setCallId(call.getCallId()).setError(callError()));
        }
        byte[] bytes = answers.build().toByteArray();
        response.write(Buffer.buffer().appendByte((byte) 0).appendInt(bytes.length).appendBytes(bytes));
      }
    });
  }

  private CallError callError() {
    CallError.Builder error = CallError.newBuilder().setCode(answerStatus).setMessage(answerMessage);
    String reason = answerTrailers.get(ClientFailure.REASON);
    if (reason != null) error.setReason(reason);
    String retryAfter = answerTrailers.get(ClientFailure.RETRY_AFTER_MS);
    if (retryAfter != null) error.setRetryAfterMs(Long.parseLong(retryAfter));
    String leaderId = answerTrailers.get(ClientFailure.LEADER_ID);
    if (leaderId != null) error.setLeaderId(Long.parseLong(leaderId));
    return error.build();
  }

  @Override
  public void close() throws Exception {
    if (http != null) http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
