package io.raftnode.internal.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** An in-process gRPC server on a free port that answers each method with a canned reply or a gRPC error. */
final class FakeNode implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final GrpcServer grpc = GrpcServer.server(vertx);
  private HttpServer http;
  volatile Object lastRequest;
  volatile String lastTimeoutHeader;

  /** Answers {@code method} with {@code reply(request)}. */
  <Req, Resp> FakeNode answer(ServiceMethod<Req, Resp> method, Function<Req, Resp> reply) {
    grpc.callHandler(method, call -> call.handler(request -> {
      remember(call, request);
      call.response().end(reply.apply(request));
    }));
    return this;
  }

  /** Fails {@code method} with {@code status} and {@code message}, as a node without a leader would. */
  <Req, Resp> FakeNode fail(ServiceMethod<Req, Resp> method, GrpcStatus status, String message) {
    grpc.callHandler(method, call -> call.handler(request -> {
      remember(call, request);
      call.response().status(status).statusMessage(message).end();
    }));
    return this;
  }

  /** Reads the request and never answers, like a node stuck without a quorum. */
  <Req, Resp> FakeNode hang(ServiceMethod<Req, Resp> method) {
    grpc.callHandler(method, call -> call.handler(request -> remember(call, request)));
    return this;
  }

  /** Reads the request and closes the connection without answering, like a node that dies mid-call. */
  <Req, Resp> FakeNode dropConnection(ServiceMethod<Req, Resp> method) {
    grpc.callHandler(method, call -> call.handler(request -> {
      remember(call, request);
      call.connection().close();
    }));
    return this;
  }

  private void remember(GrpcServerRequest<?, ?> call, Object request) {
    lastTimeoutHeader = call.headers().get("grpc-timeout");
    lastRequest = request;
  }

  /** Starts listening and returns "127.0.0.1:PORT". */
  String start() throws Exception {
    http = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(grpc)
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return "127.0.0.1:" + http.actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
