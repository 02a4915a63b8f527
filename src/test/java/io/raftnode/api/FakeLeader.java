package io.raftnode.api;

import io.raftnode.model.HostAndPort;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client port of a leader that misbehaves in one chosen way once a forwarded call's request has fully arrived:
 * it resets the stream, closes the connection, never answers, or answers with a gRPC status and trailers of the
 * test's choosing. Plain HTTP/2 (h2c), so the test controls every frame the caller sees.
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

  @Override
  public void close() throws Exception {
    if (http != null) http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
