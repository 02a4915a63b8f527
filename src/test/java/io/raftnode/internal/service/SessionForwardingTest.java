package io.raftnode.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftnode.proto.KvSessionServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A follower forwards a client session as a session: the leader ({@link SessionLeader}) sees one session stream
 * from it, carrying the hop marker and the calls in the order sent, not one unary call per call; the leader's
 * answers and failures come back to the client as they would from a unary forward.
 */
@Timeout(60)
class SessionForwardingTest {
  private static final int CALLS = 20;
  private final Vertx vertx = Vertx.vertx();
  private GrpcClient client;

  @BeforeEach
  void start() {
    client = KvApiServer.client(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theLeaderSeesOneSessionStreamFromTheFollowerNotOneCallPerCall() throws Exception {
    SessionLeader leader = new SessionLeader(vertx, true);
    List<SessionAnswer> answers = sessionOfPuts(follower(leader), CALLS);
    assertEquals(1, leader.sessionHeaders.size(), "one session stream to the leader");
    assertEquals(0, leader.unaryPuts.get(), "no unary calls");
    assertEquals("1", leader.sessionHeaders.get(0).get(LeaderRouter.FORWARDED_HEADER), "the hop marker names this node");
    assertEquals(CALLS, leader.sessionCalls.size());
    for (int i = 0; i < CALLS; i++) {
      assertEquals("k" + i, leader.sessionCalls.get(i).getPut().getKey().toStringUtf8(), "the calls in the order sent");
    }
    assertEquals(CALLS, answers.size());
    for (SessionAnswer a : answers) assertTrue(a.hasPut() && a.getPut().getRevision() > 0, a.toString());
  }

  @Test
  void theLeadersFailuresComeBackAsTheyWouldFromAUnaryForward() throws Exception {
    SessionLeader leader = new SessionLeader(vertx, true);
    leader.answer = call -> call.getPut().getKey().toStringUtf8().equals("k0")
        ? SessionLeader.error(GrpcStatus.UNKNOWN.code, "outcome-unknown")
        : SessionLeader.error(GrpcStatus.INVALID_ARGUMENT.code, "");
    List<SessionAnswer> answers = sessionOfPuts(follower(leader), 2);
    assertEquals(GrpcStatus.UNKNOWN.code, answers.get(0).getError().getCode(), answers.get(0).toString());
    assertEquals("outcome-unknown", answers.get(0).getError().getReason());
    assertEquals(GrpcStatus.INVALID_ARGUMENT.code, answers.get(1).getError().getCode(), answers.get(1).toString());
    assertEquals(2, leader.sessionCalls.size(), "sent once each, never retried");
  }

  @Test
  void writesOnAStreamTheLeaderResetsHaveAnUnknownOutcome() throws Exception {
    SessionLeader leader = new SessionLeader(vertx, true);
    leader.resetAfterCalls = 1;
    List<SessionAnswer> answers = sessionOfPuts(follower(leader), 3);
    for (SessionAnswer a : answers) {
      assertEquals(GrpcStatus.UNKNOWN.code, a.getError().getCode(), a.toString());
      assertEquals("outcome-unknown", a.getError().getReason(), a.toString());
    }
  }

  @Test
  void aLeaderThatServesNoSessionsGetsTheCallsUnary() throws Exception {
    SessionLeader leader = new SessionLeader(vertx, false);
    List<SessionAnswer> answers = sessionOfPuts(follower(leader), 5);
    assertEquals(5, leader.unaryPuts.get());
    for (SessionAnswer a : answers) assertTrue(a.getPut().getRevision() > 1000, a.toString());
  }

  @Test
  void aCallForwardedOnASessionCarriesWhatIsLeftOfItsOwnDeadline() throws Exception {
    SessionLeader leader = new SessionLeader(vertx, true);
    sessionOfPuts(follower(leader), 3, 5_000);
    for (SessionCall forwarded : leader.sessionCalls) {
      assertTrue(forwarded.getTimeoutMs() > 0 && forwarded.getTimeoutMs() <= 5_000, forwarded.toString());
    }
  }

  @Test
  void aSessionCallsOwnDeadlineEndsItsWaitForALeader() throws Exception {
    FakeRaftNode node = new FakeRaftNode(vertx, null); // no leader known: the router would wait 3 s for one
    SocketAddress follower = KvApiServer.start(vertx, node);
    long started = System.nanoTime();
    List<SessionAnswer> answers = sessionOfPuts(follower, 2, 300);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    for (SessionAnswer a : answers) {
      assertEquals(GrpcStatus.DEADLINE_EXCEEDED.code, a.getError().getCode(), a.toString());
      assertEquals("outcome-unknown", a.getError().getReason(), a.toString());
    }
    // A bound on behaviour, not a performance figure: well below the 3 s the wait for a leader lasts by itself.
    assertTrue(tookMs < 2_500, "answered after " + tookMs + " ms");
  }

  private SocketAddress follower(SessionLeader leader) throws Exception {
    return KvApiServer.start(vertx, new FakeRaftNode(vertx, leader.address()));
  }

  private List<SessionAnswer> sessionOfPuts(SocketAddress follower, int n) throws Exception {
    return sessionOfPuts(follower, n, 0);
  }

  /**
   * A session to {@code follower} carrying {@code n} Puts in one message, each with {@code timeoutMs} as its own
   * deadline (0: none); the answers, by call id.
   */
  private List<SessionAnswer> sessionOfPuts(SocketAddress follower, int n, long timeoutMs) throws Exception {
    Promise<List<SessionAnswer>> done = Promise.promise();
    List<SessionAnswer> answers = new CopyOnWriteArrayList<>();
    vertx.runOnContext(v -> client.request(follower, KvSessionServiceGrpcClient.Session).onComplete((stream, err) -> {
      if (err != null) {
        done.fail(err);
        return;
      }
      stream.response().onSuccess(response -> response.handler(message -> {
        answers.addAll(message.getAnswersList());
        if (answers.size() == n) {
          stream.end();
          done.tryComplete(answers.stream().sorted(Comparator.comparingLong(SessionAnswer::getCallId)).toList());
        }
      })).onFailure(done::tryFail);
      SessionRequest.Builder request = SessionRequest.newBuilder();
      for (int i = 0; i < n; i++) {
        request.addCalls(SessionCall.newBuilder().setCallId(i + 1).setTimeoutMs(timeoutMs).setPut(PutRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8("k" + i)).setValue(ByteString.copyFromUtf8("v"))));
      }
      stream.write(request.build());
    }));
    return done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
