package io.raftnode.client;

import io.raftnode.proto.KvServiceGrpcService;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * A node's client port that serves only unary KvService.Put (so a session is answered UNIMPLEMENTED, as by a node
 * without KvSessionService) and answers each Put as the test scripts: a revision, a status with trailers, or a reset
 * of the stream after the request arrived. Records every Put it received.
 */
final class FakeKvNode {
  /** How to answer the n-th Put (from 1). */
  sealed interface Answer {}

  record Revision(long revision) implements Answer {}

  record Status(GrpcStatus status, String message, Map<String, String> trailers) implements Answer {}

  record Reset() implements Answer {}

  final List<PutRequest> puts = new CopyOnWriteArrayList<>();
  volatile BiFunction<Integer, PutRequest, Answer> script = (n, request) -> new Revision(n);
  private final HttpServer http;

  FakeKvNode(Vertx vertx) throws Exception {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(KvServiceGrpcService.Put, call -> call.handler(request -> {
      puts.add(request);
      answer(call.response(), script.apply(puts.size(), request));
    }));
    http = vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String address() {
    return "127.0.0.1:" + http.actualPort();
  }

  private static void answer(GrpcServerResponse<PutRequest, PutResponse> response, Answer answer) {
    if (answer instanceof Revision r) {
      response.end(PutResponse.newBuilder().setRevision(r.revision()).build());
    } else if (answer instanceof Status s) {
      s.trailers().forEach((name, value) -> response.trailers().set(name, value));
      response.status(s.status()).statusMessage(s.message()).end();
    } else {
      response.cancel();
    }
  }
}
