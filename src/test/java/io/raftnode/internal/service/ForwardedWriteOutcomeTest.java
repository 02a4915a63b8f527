package io.raftnode.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftnode.HostAndPort;
import io.raftnode.ProposalFailedException;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a write that fails is reported, on a node whose Raft side is scripted ({@link FakeRaftNode}) and, when it
 * forwards, to a leader that misbehaves in one chosen way ({@link FakeLeader}): certainly not applied
 * (UNAVAILABLE) only when the request never reached the leader or the leader said so; otherwise outcome unknown.
 */
@Timeout(60)
class ForwardedWriteOutcomeTest {
  private final Vertx vertx = Vertx.vertx();
  private FakeLeader leader;
  private FakeRaftNode node;
  private GrpcClient client;
  private SocketAddress followerAddress;

  @BeforeEach
  void start() throws Exception {
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
  void aForwardedWriteWhoseStreamTheLeaderResetsHasAnUnknownOutcome() throws Exception {
    leader.behaviour = FakeLeader.Behaviour.RESET_STREAM;
    RemoteCallException error = failure(put(5_000));
    assertEquals(GrpcStatus.UNKNOWN, error.status(), error.getMessage());
    assertEquals("outcome-unknown", error.metadata(ClientFailure.REASON));
    assertEquals(1, leader.requests.get(), "sent once, never retried");
  }

  @Test
  void aForwardedWriteWhoseLeaderConnectionDropsMidCallHasAnUnknownOutcome() throws Exception {
    leader.behaviour = FakeLeader.Behaviour.CLOSE_CONNECTION;
    RemoteCallException error = failure(put(5_000));
    assertEquals(GrpcStatus.UNKNOWN, error.status(), error.getMessage());
    assertEquals("outcome-unknown", error.metadata(ClientFailure.REASON));
    assertEquals(1, leader.requests.get(), "sent once, never retried");
  }

  @Test
  void aWriteForwardedToALeaderThatCannotBeReachedIsNotApplied() throws Exception {
    node.leader = new HostAndPort("127.0.0.1", 1); // nothing listens there: no connection, the request never left
    RemoteCallException error = failure(put(5_000));
    assertEquals(GrpcStatus.UNAVAILABLE, error.status(), error.getMessage());
    assertEquals("not-applied", error.metadata(ClientFailure.REASON));
  }

  @Test
  void aWriteOnANodeThatStoppedAfterProposingItHasAnUnknownOutcome() throws Exception {
    node.propose = () -> Future.failedFuture(ProposalFailedException.stopped());
    RemoteCallException error = failure(put(5_000));
    assertEquals(GrpcStatus.UNKNOWN, error.status(), error.getMessage());
    assertEquals("outcome-unknown", error.metadata(ClientFailure.REASON));
  }

  @Test
  void theForwardedCallCarriesWhatIsLeftOfTheClientsDeadline() throws Exception {
    leader.behaviour = FakeLeader.Behaviour.HANG;
    RemoteCallException error = failure(put(1_000));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, error.status(), error.getMessage());
    // Whichever ends the call at the deadline, the node or its own forward, it never says "not applied".
    String reason = error.metadata(ClientFailure.REASON);
    assertTrue(reason == null || reason.equals("outcome-unknown"), "reason " + reason);
    String timeout = leader.lastTimeoutHeader();
    assertTrue(timeout != null, "the forwarded call has a deadline");
    assertTrue(timeoutMillis(timeout) <= 1_000, "the leader was given " + timeout + ", more than the client's 1000 ms");
  }

  private Future<?> put(long timeoutMs) {
    PutRequest request = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")).build();
    return GrpcCalls.unary(client, followerAddress, KvServiceGrpcClient.Put, request, timeoutMs);
  }

  /** A grpc-timeout header value ("300m", "2S", "1500000u", ...) in milliseconds, rounded up. */
  static long timeoutMillis(String header) {
    long value = Long.parseLong(header.substring(0, header.length() - 1));
    return switch (header.charAt(header.length() - 1)) {
      case 'H' -> TimeUnit.HOURS.toMillis(value);
      case 'M' -> TimeUnit.MINUTES.toMillis(value);
      case 'S' -> TimeUnit.SECONDS.toMillis(value);
      case 'm' -> value;
      case 'u' -> (value + 999) / 1000;
      case 'n' -> (value + 999_999) / 1_000_000;
      default -> throw new AssertionError("not a grpc-timeout: " + header);
    };
  }

  static RemoteCallException failure(Future<?> call) throws Exception {
    try {
      call.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RemoteCallException remote) return remote;
      throw new AssertionError("expected a gRPC status, got " + e.getCause(), e.getCause());
    }
    throw new AssertionError("expected the call to fail");
  }
}
