package io.raftnode.internal.service;

import static io.raftnode.internal.service.ForwardedWriteOutcomeTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftnode.ProposalFailedException;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.CallError;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.KvSessionServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The machine-readable detail of a failed call: the raftnode-error reason and the leader hint travel as trailers
 * of a unary call and as fields of a session's CallError, and a follower acts on the leader's reason, never on
 * the words of its message. The node's Raft side is scripted ({@link FakeRaftNode}: a follower of node 2 at the
 * {@link FakeLeader}'s address).
 */
@Timeout(60)
class FailureDetailTest {
  private static final Map<String, String> FORWARDED = Map.of(LeaderRouter.FORWARDED_HEADER, "3");

  private final Vertx vertx = Vertx.vertx();
  private FakeLeader leader;
  private String leaderAddress;
  private FakeRaftNode node;
  private GrpcClient client;
  private SocketAddress followerAddress;

  @BeforeEach
  void start() throws Exception {
    leader = new FakeLeader(vertx);
    var address = leader.start();
    leaderAddress = address.toString();
    node = new FakeRaftNode(vertx, address);
    followerAddress = KvApiServer.start(vertx, node);
    client = KvApiServer.client(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aNodeThatIsNotTheLeaderSaysSoAndNamesTheLeader() throws Exception {
    // Marked as forwarded, the call is not forwarded again: the follower answers for itself.
    RemoteCallException error = failure(GrpcCalls.unary(client, followerAddress, KvServiceGrpcClient.Put, put(), 5_000, FORWARDED));
    assertEquals(GrpcStatus.UNAVAILABLE, error.status(), error.getMessage());
    assertEquals("not-leader", error.metadata(ClientFailure.REASON));
    assertEquals("2", error.metadata(ClientFailure.LEADER_ID));
    assertEquals(leaderAddress, error.metadata(ClientFailure.LEADER_ADDRESS));
    assertEquals(0, leader.requests.get(), "a forwarded call is never forwarded again");
  }

  @Test
  void aSessionCallCarriesTheSameDetailInItsCallError() throws Exception {
    CallError error = sessionPutError(FORWARDED);
    assertEquals(GrpcStatus.UNAVAILABLE.code, error.getCode(), error.toString());
    assertEquals("not-leader", error.getReason());
    assertEquals(2, error.getLeaderId());
    assertEquals(leaderAddress, error.getLeaderAddress());
  }

  @Test
  void aSessionWriteOnANodeThatStoppedAfterProposingItHasAnUnknownOutcome() throws Exception {
    node.propose = () -> Future.failedFuture(ProposalFailedException.stopped());
    CallError error = sessionPutError(Map.of());
    assertEquals(GrpcStatus.UNKNOWN.code, error.getCode(), error.toString());
    assertEquals("outcome-unknown", error.getReason());
  }

  @Test
  void theLeadersNotLeaderIsRecognisedByItsReasonWhateverItsMessageSays() throws Exception {
    leader.behaviour = FakeLeader.Behaviour.ANSWER_STATUS;
    leader.answerStatus = GrpcStatus.UNAVAILABLE.code;
    leader.answerMessage = "leadership moved on";
    leader.answerTrailers = Map.of(ClientFailure.REASON, "not-leader", ClientFailure.LEADER_ID, "3");
    RemoteCallException error = failure(GrpcCalls.unary(client, followerAddress, KvServiceGrpcClient.Put, put(), 1_000));
    assertTrue(leader.requests.get() >= 2, "a not-leader answer is retried; the leader was asked " + leader.requests.get() + " times");
    // Every attempt was refused before it reached a log, but the client's deadline passed: DEADLINE_EXCEEDED.
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, error.status(), error.getMessage());
  }

  @Test
  void anUnavailableFromTheLeaderWithoutAReasonIsNotTakenForNotLeader() throws Exception {
    leader.behaviour = FakeLeader.Behaviour.ANSWER_STATUS;
    leader.answerStatus = GrpcStatus.UNAVAILABLE.code;
    leader.answerMessage = "no leader is available (not the leader); the request was not carried out; retry";
    RemoteCallException error = failure(GrpcCalls.unary(client, followerAddress, KvServiceGrpcClient.Put, put(), 5_000));
    assertEquals(1, leader.requests.get(), "no reason, no retry");
    // Something that does not classify writes answered: the write may have applied.
    assertEquals(GrpcStatus.UNKNOWN, error.status(), error.getMessage());
    assertEquals("outcome-unknown", error.metadata(ClientFailure.REASON));
  }

  @Test
  void theLeadersStatusAndReasonPassThroughTheFollower() throws Exception {
    leader.behaviour = FakeLeader.Behaviour.ANSWER_STATUS;
    leader.answerStatus = GrpcStatus.FAILED_PRECONDITION.code;
    leader.answerMessage = "stale sequence";
    leader.answerTrailers = Map.of(ClientFailure.REASON, "stale-sequence");
    RemoteCallException error = failure(GrpcCalls.unary(client, followerAddress, KvServiceGrpcClient.Put, put(), 5_000));
    assertEquals(GrpcStatus.FAILED_PRECONDITION, error.status(), error.getMessage());
    assertEquals("stale sequence", error.statusMessage());
    assertEquals("stale-sequence", error.metadata(ClientFailure.REASON));
    assertEquals(1, leader.requests.get());
  }

  @Test
  void theLeadersFlowControlRefusalPassesThroughTheFollowerWithItsRetryHint() throws Exception {
    leader.behaviour = FakeLeader.Behaviour.ANSWER_STATUS;
    leader.answerStatus = GrpcStatus.RESOURCE_EXHAUSTED.code;
    leader.answerMessage = "the leader holds 100 bytes of writes not yet applied";
    leader.answerTrailers = Map.of(ClientFailure.REASON, "not-applied", ClientFailure.RETRY_AFTER_MS, "250");
    RemoteCallException error = failure(GrpcCalls.unary(client, followerAddress, KvServiceGrpcClient.Put, put(), 5_000));
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, error.status(), error.getMessage());
    assertEquals("not-applied", error.metadata(ClientFailure.REASON));
    assertEquals("250", error.metadata(ClientFailure.RETRY_AFTER_MS));
    assertEquals(1, leader.requests.get(), "refused, not retried by the follower");

    CallError inSession = sessionPutError(Map.of());
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED.code, inSession.getCode());
    assertEquals("not-applied", inSession.getReason());
    assertEquals(250, inSession.getRetryAfterMs());
  }

  private static PutRequest put() {
    return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")).build();
  }

  /** Opens a session to the follower with {@code headers}, sends one Put and returns its CallError. */
  private CallError sessionPutError(Map<String, String> headers) throws Exception {
    Promise<SessionAnswer> answer = Promise.promise();
    vertx.runOnContext(v -> client.request(followerAddress, KvSessionServiceGrpcClient.Session).onComplete((stream, err) -> {
      if (err != null) {
        answer.fail(err);
        return;
      }
      headers.forEach((name, value) -> stream.headers().set(name, value));
      stream.response().onSuccess(response -> response.handler(message -> answer.tryComplete(message.getAnswers(0))))
          .onFailure(answer::tryFail);
      stream.write(SessionRequest.newBuilder().addCalls(SessionCall.newBuilder().setCallId(1).setPut(put())).build());
    }));
    SessionAnswer received = answer.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(received.hasError(), "expected a failed call: " + received);
    return received.getError();
  }
}
