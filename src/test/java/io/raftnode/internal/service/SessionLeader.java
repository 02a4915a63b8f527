package io.raftnode.internal.service;

import io.raftnode.HostAndPort;
import io.raftnode.proto.CallError;
import io.raftnode.proto.KvServiceGrpcService;
import io.raftnode.proto.KvSessionServiceGrpcService;
import io.raftnode.proto.PutResponse;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.server.GrpcServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A leader's client port that answers KvService.Put and, unless told to serve no sessions, KvSessionService: each
 * session call with what {@link #answer} says (by default a Put at the revision of its order of arrival), or
 * {@link #resetAfterCalls} resets the stream once that many calls arrived. Records the session streams it saw (their
 * headers) and every call, and counts unary Puts.
 */
final class SessionLeader {
  final List<MultiMap> sessionHeaders = new CopyOnWriteArrayList<>();
  final List<SessionCall> sessionCalls = new CopyOnWriteArrayList<>();
  final AtomicInteger unaryPuts = new AtomicInteger();
  volatile Function<SessionCall, SessionAnswer.Builder> answer = call -> SessionAnswer.newBuilder()
      .setPut(PutResponse.newBuilder().setRevision(0));
  volatile int resetAfterCalls = Integer.MAX_VALUE;
  private final HttpServer http;

  SessionLeader(Vertx vertx, boolean servesSessions) throws Exception {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(KvServiceGrpcService.Put, call -> call.handler(request -> {
      unaryPuts.incrementAndGet();
      call.response().end(PutResponse.newBuilder().setRevision(1000 + unaryPuts.get()).build());
    }));
    if (servesSessions) {
      grpc.callHandler(KvSessionServiceGrpcService.Session, call -> {
        sessionHeaders.add(MultiMap.caseInsensitiveMultiMap().addAll(call.headers()));
        call.handler(request -> {
          SessionResponse.Builder out = SessionResponse.newBuilder();
          for (SessionCall c : request.getCallsList()) {
            sessionCalls.add(c);
            if (sessionCalls.size() >= resetAfterCalls) {
              call.response().cancel();
              return;
            }
            SessionAnswer.Builder a = answer.apply(c).setCallId(c.getCallId());
            if (a.hasPut()) a.setPut(PutResponse.newBuilder().setRevision(sessionCalls.size()));
            out.addAnswers(a);
          }
          call.response().write(out.build());
        });
        call.endHandler(v -> call.response().end());
      });
    }
    http = vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  HostAndPort address() {
    return new HostAndPort("127.0.0.1", http.actualPort());
  }

  static SessionAnswer.Builder error(int code, String reason) {
    return SessionAnswer.newBuilder().setError(CallError.newBuilder().setCode(code).setMessage("as scripted").setReason(reason));
  }
}
