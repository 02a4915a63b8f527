package io.raftnode.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftnode.Applied;
import io.raftnode.internal.kv.KvCodec;
import io.raftnode.internal.kv.KvResult;
import io.raftnode.proto.KvSessionServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A KvSessionService stream's deadline bounds each of its calls: a call forwarded to the leader carries what is
 * left of it, and when it passes the stream ends DEADLINE_EXCEEDED, with nothing written after that.
 */
@Timeout(60)
class SessionDeadlineTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<Throwable> unhandled = new CopyOnWriteArrayList<>();
  private FakeLeader leader;
  private FakeRaftNode node;
  private GrpcClient client;
  private SocketAddress followerAddress;

  @BeforeEach
  void start() throws Exception {
    vertx.exceptionHandler(unhandled::add);
    leader = new FakeLeader(vertx);
    node = new FakeRaftNode(vertx, leader.start());
    followerAddress = KvApiServer.start(vertx, node);
    client = KvApiServer.client(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCallForwardedFromASessionCarriesWhatIsLeftOfTheStreamsDeadline() throws Exception {
    leader.behaviour = FakeLeader.Behaviour.HANG;
    Ending ending = sessionWithOnePut(1_000);
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, ending.status());
    String timeout = leader.lastTimeoutHeader();
    assertTrue(timeout != null, "the forwarded call has a deadline");
    assertTrue(ForwardedWriteOutcomeTest.timeoutMillis(timeout) <= 1_000, "the leader was given " + timeout);
  }

  @Test
  void aSessionWithNoLeaderEndsAtItsDeadline() throws Exception {
    node.leader = null; // the router waits for a leader until the stream's deadline
    Ending ending = sessionWithOnePut(300);
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, ending.status());
    // The router gives up as the deadline comes, with DEADLINE_EXCEEDED for the call, if it beats Vert.x ending the stream.
    for (SessionAnswer answer : ending.answers()) {
      assertEquals(GrpcStatus.DEADLINE_EXCEEDED.code, answer.getError().getCode(), answer.toString());
      assertEquals("outcome-unknown", answer.getError().getReason());
    }
  }

  @Test
  void aCallThatCompletesAfterTheStreamsDeadlineIsNotWrittenToTheEndedStream() throws Exception {
    Promise<Applied> proposal = Promise.promise();
    node.propose = proposal::future; // this node leads; the write commits only when the test says
    Ending ending = sessionWithOnePut(300);
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, ending.status());
    assertEquals(List.of(), ending.answers());

    Context context = vertx.getOrCreateContext();
    Promise<Void> answered = Promise.promise();
    byte[] result = KvCodec.encode(new KvResult(7, true, null, false));
    context.runOnContext(v -> {
      proposal.complete(new Applied(7, result)); // the session answers now, queueing its write on this context
      context.runOnContext(w -> answered.complete()); // runs after that write
    });
    answered.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(), unhandled);
  }

  private record Ending(GrpcStatus status, List<SessionAnswer> answers) {}

  /** A session with a deadline of {@code timeoutMs} carrying one Put; how the stream ended. */
  private Ending sessionWithOnePut(long timeoutMs) throws Exception {
    Promise<Ending> ended = Promise.promise();
    List<SessionAnswer> answers = new CopyOnWriteArrayList<>();
    vertx.runOnContext(v -> client.request(followerAddress, KvSessionServiceGrpcClient.Session).onComplete((stream, err) -> {
      if (err != null) {
        ended.fail(err);
        return;
      }
      stream.timeout(timeoutMs, TimeUnit.MILLISECONDS);
      stream.response().onComplete((response, failed) -> {
        if (failed != null) {
          ended.fail(failed);
          return;
        }
        response.handler(message -> answers.addAll(message.getAnswersList()));
        response.end().onComplete(done -> ended.tryComplete(new Ending(response.status(), List.copyOf(answers))));
      });
      PutRequest put = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")).build();
      stream.write(SessionRequest.newBuilder().addCalls(SessionCall.newBuilder().setCallId(1).setPut(put)).build());
    }));
    return ended.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
