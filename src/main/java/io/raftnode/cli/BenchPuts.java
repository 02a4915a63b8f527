package io.raftnode.cli;

import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.KvSessionServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.raftnode.proto.SessionResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the benchmark sends its Puts: {@code unary} makes one KvService.Put call per write (one HTTP/2 stream each, as
 * etcd's clients do); {@code session} sends the writes on one KvSessionService.Session stream (as SOFAJRaft's bolt
 * client multiplexes calls on one connection), the ones issued in the same event-loop turn in one message. Each
 * write is still its own call with its own answer, and the server work per write is the same.
 */
interface BenchPuts {
  /** Sends one Put; {@code done} gets null when it succeeded, else the failure. Called on the load's event loop. */
  void put(PutRequest request, Handler<Throwable> done);

  static List<String> names() {
    return List.of("unary", "session");
  }

  /** Opens the sender named {@code name}; call on the event loop the load runs on. */
  static Future<BenchPuts> open(String name, GrpcClient grpc, SocketAddress leader) {
    if (name.equals("unary")) {
      KvServiceGrpcClient client = KvServiceGrpcClient.create(grpc, leader);
      return Future.succeededFuture((request, done) -> client.put(request).onComplete((r, err) -> done.handle(err)));
    }
    return grpc.request(leader, KvSessionServiceGrpcClient.Session).map(Session::new);
  }

  /** Writes on one session stream; answers are matched to their calls by call id. */
  final class Session implements BenchPuts {
    private final GrpcClientRequest<SessionRequest, SessionResponse> stream;
    private final Context context;
    private final Map<Long, Handler<Throwable>> waiting = new HashMap<>();
    private final SessionRequest.Builder unsent = SessionRequest.newBuilder();
    private long nextCallId;
    private Throwable broken;

    Session(GrpcClientRequest<SessionRequest, SessionResponse> stream) {
      this.stream = stream;
      this.context = io.vertx.core.Vertx.currentContext();
      stream.response().onComplete((response, err) -> {
        if (err != null) {
          breakAll(err);
          return;
        }
        response.handler(this::onAnswers);
        response.exceptionHandler(this::breakAll);
        response.endHandler(v -> breakAll(new IllegalStateException("session ended: " + response.status())));
      });
    }

    @Override
    public void put(PutRequest request, Handler<Throwable> done) {
      if (broken != null) {
        done.handle(broken);
        return;
      }
      long callId = nextCallId++;
      waiting.put(callId, done);
      unsent.addCalls(SessionCall.newBuilder().setCallId(callId).setPut(request));
      if (unsent.getCallsCount() == 1) context.runOnContext(v -> send());
    }

    private void send() {
      if (broken != null || unsent.getCallsCount() == 0) return;
      stream.write(unsent.build());
      unsent.clear();
    }

    private void onAnswers(SessionResponse response) {
      for (SessionAnswer answer : response.getAnswersList()) {
        Handler<Throwable> done = waiting.remove(answer.getCallId());
        if (done == null) continue;
        done.handle(answer.hasError() ? new IllegalStateException(
            GrpcStatus.valueOf(answer.getError().getCode()) + ": " + answer.getError().getMessage()) : null);
      }
    }

    private void breakAll(Throwable err) {
      if (broken != null) return;
      broken = err;
      List<Handler<Throwable>> all = new ArrayList<>(waiting.values());
      waiting.clear();
      all.forEach(done -> done.handle(err));
    }
  }
}
