package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftnode.HostAndPort;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.raftnode.proto.SessionResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One KvSessionService.Session stream to a node's client port. Messages travel as raw bytes (the identity codec),
 * so a test can also send bytes that are not a SessionRequest; well-formed messages are encoded SessionRequests,
 * exactly what the generated client sends. Calls made in one event-loop turn go out together, at most
 * {@link #callsPerMessage} to a SessionRequest. Everything runs on one event loop context of its own; answers
 * are matched to calls by call id, and every answer is counted, so a call answered twice or an answer for no call
 * shows.
 */
final class SessionClient implements AutoCloseable {
  private static final ServiceMethod<Buffer, Buffer> SESSION = ServiceMethod.client(
      ServiceName.create("raftnode.v1.KvSessionService"), "Session",
      GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

  private final Context context;
  private final GrpcClient grpc;
  private final SocketAddress address;
  private final boolean ownsClient;
  private final SessionRequest.Builder unsent = SessionRequest.newBuilder();
  private int callsPerMessage = 64;
  private boolean cancelled;
  private final Map<Long, Promise<SessionAnswer>> waiting = new HashMap<>();
  private final Map<Long, Integer> answersPerCall = new HashMap<>();
  private final List<String> strays = new ArrayList<>();
  private final Promise<Ended> ended = Promise.promise();
  private GrpcClientRequest<Buffer, Buffer> stream;
  private long highestCallId;
  private int inFlight;
  private int maxInFlight;

  private SessionClient(Context context, GrpcClient grpc, SocketAddress address, boolean ownsClient) {
    this.context = context;
    this.grpc = grpc;
    this.address = address;
    this.ownsClient = ownsClient;
  }

  /** A session on a connection of its own. */
  static SessionClient open(TestCluster cluster, long node) {
    HostAndPort client = cluster.config(node).clientAddress();
    return new SessionClient(cluster.vertx.getOrCreateContext(),
        GrpcClient.client(cluster.vertx, cluster.clientPortOptions()),
        SocketAddress.inetSocketAddress(client.port(), client.host()), true).start();
  }

  /** Another session to the same node on this one's HTTP/2 connection; closing this one closes it. */
  SessionClient anotherOnTheSameConnection() {
    return new SessionClient(context, grpc, address, false).start();
  }

  private SessionClient start() {
    await(onContext(() -> grpc.request(address, SESSION).map(stream -> {
      attach(stream);
      return null;
    })));
    return this;
  }

  private void attach(GrpcClientRequest<Buffer, Buffer> stream) {
    this.stream = stream;
    stream.response().onComplete((response, err) -> {
      if (err != null) {
        end(null, err);
        return;
      }
      response.handler(this::onAnswers);
      response.exceptionHandler(e -> end(response, e));
      response.endHandler(v -> end(response, null));
    });
  }

  private void onAnswers(Buffer message) {
    SessionResponse response;
    try {
      response = SessionResponse.parseFrom(message.getBytes());
    } catch (InvalidProtocolBufferException e) {
      strays.add("a message that is no SessionResponse: " + e.getMessage());
      return;
    }
    if (response.getAnswersCount() == 0) strays.add("a SessionResponse without answers");
    response.getAnswersList().forEach(this::onAnswer);
  }

  private void onAnswer(SessionAnswer answer) {
    answersPerCall.merge(answer.getCallId(), 1, Integer::sum);
    Promise<SessionAnswer> promise = waiting.remove(answer.getCallId());
    if (promise == null) {
      strays.add("an answer for no waiting call: " + answer);
      return;
    }
    inFlight--;
    promise.complete(answer);
  }

  private void end(GrpcClientResponse<Buffer, Buffer> response, Throwable err) {
    GrpcStatus status = response == null ? null : response.status();
    if (status != null) {
      ended.tryComplete(new Ended(status, response.statusMessage()));
    } else {
      ended.tryFail(err != null ? err : new IllegalStateException("the session ended without a status"));
    }
    List<Promise<SessionAnswer>> unanswered = new ArrayList<>(waiting.values());
    waiting.clear();
    unanswered.forEach(p -> p.tryFail(new IllegalStateException("the session ended before answering: " + status)));
  }

  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(result);
      } catch (RuntimeException | AssertionError e) {
        result.fail(e);
      }
    });
    return result.future();
  }

  private Future<SessionAnswer> send(SessionCall request) {
    if (waiting.containsKey(request.getCallId())) {
      throw new AssertionError("call id " + request.getCallId() + " is already waiting");
    }
    if (ended.future().isComplete()) return Future.failedFuture("the session has ended");
    Promise<SessionAnswer> answer = Promise.promise();
    waiting.put(request.getCallId(), answer);
    highestCallId = Math.max(highestCallId, request.getCallId());
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    unsent.addCalls(request);
    if (unsent.getCallsCount() >= callsPerMessage) {
      flush();
    } else if (unsent.getCallsCount() == 1) {
      context.runOnContext(v -> flush());
    }
    return answer.future();
  }

  /** Writes the calls not sent yet as one SessionRequest. */
  private void flush() {
    if (cancelled || unsent.getCallsCount() == 0) return;
    stream.write(Buffer.buffer(unsent.build().toByteArray()));
    unsent.clear();
  }

  /** At most {@code calls} calls to a SessionRequest from now on. */
  SessionClient callsPerMessage(int calls) {
    await(onContext(() -> {
      callsPerMessage = calls;
      return Future.succeededFuture();
    }));
    return this;
  }

  /** One call; its answer. */
  Future<SessionAnswer> call(SessionCall request) {
    return onContext(() -> send(request));
  }

  /**
   * Sends the calls in order, keeping at most {@code window} unanswered: each answer lets the next call go.
   * The answers, listed as their calls are.
   */
  Future<List<SessionAnswer>> pipeline(List<SessionCall> calls, int window) {
    return onContext(() -> {
      Promise<List<SessionAnswer>> all = Promise.promise();
      SessionAnswer[] answers = new SessionAnswer[calls.size()];
      int[] next = {0};
      int[] answered = {0};
      Runnable[] sendNext = new Runnable[1];
      sendNext[0] = () -> {
        int i = next[0]++;
        send(calls.get(i)).onComplete((answer, err) -> {
          if (err != null) {
            all.tryFail(err);
            return;
          }
          answers[i] = answer;
          if (++answered[0] == calls.size()) {
            all.complete(List.of(answers));
          } else if (next[0] < calls.size()) {
            sendNext[0].run();
          }
        });
      };
      for (int k = 0; k < Math.min(window, calls.size()); k++) sendNext[0].run();
      if (calls.isEmpty()) all.complete(List.of());
      return all.future();
    });
  }

  /** Writes {@code bytes} as one gRPC message on the stream, whatever they are (after the calls not sent yet). */
  Future<Void> writeRaw(byte[] bytes) {
    return onContext(() -> {
      flush();
      return stream.write(Buffer.buffer(bytes));
    });
  }

  /** Ends the client's side of the stream; how the server then ended it. */
  Future<Ended> finish() {
    return onContext(() -> {
      flush();
      stream.end();
      return ended.future();
    });
  }

  /** Sends the calls not sent yet, then resets the stream (CANCEL), whatever calls are in flight. */
  Future<Void> cancel() {
    return onContext(() -> {
      flush();
      stream.cancel();
      cancelled = true;
      return Future.succeededFuture();
    });
  }

  /** How the server ended the stream, once it has. */
  Future<Ended> ended() {
    return ended.future();
  }

  Future<Integer> maxInFlight() {
    return onContext(() -> Future.succeededFuture(maxInFlight));
  }

  /** A call id above every one used so far. */
  Future<Long> nextFreeCallId() {
    return onContext(() -> Future.succeededFuture(highestCallId + 1));
  }

  /** No call is unanswered, none was answered twice, and no answer came for a call never made. */
  void assertEveryCallAnsweredOnce() {
    await(onContext(() -> {
      assertEquals(Set.of(), waiting.keySet(), "calls unanswered");
      assertEquals(List.of(), strays, "answers beyond one per call");
      answersPerCall.forEach((id, n) -> assertEquals(1, n, "answers to call " + id));
      return Future.succeededFuture();
    }));
  }

  @Override
  public void close() {
    if (ownsClient) await(grpc.close());
  }

  /** How a session stream ended: the status in the server's trailers. */
  record Ended(GrpcStatus status, String message) {}
}
