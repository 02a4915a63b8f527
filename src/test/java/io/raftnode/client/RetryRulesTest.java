package io.raftnode.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.proto.PutRequest;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's retries against scripted nodes ({@link FakeKvNode}, which serve no sessions, so every test also goes
 * through the fallback from a session to unary calls): what it resends, with which request id, where, and how it
 * reports what it gives up on.
 */
@Timeout(60)
class RetryRulesTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aNodeWithoutSessionsIsCalledUnary() throws Exception {
    FakeKvNode node = new FakeKvNode(vertx);
    try (RaftKvClient client = client(node.address())) {
      assertEquals(1, put(client).get(10, TimeUnit.SECONDS).revision());
      assertEquals(2, put(client).get(10, TimeUnit.SECONDS).revision());
      assertEquals(2, node.puts.size(), "each Put reached the node once, as a unary call");
    }
  }

  @Test
  void aWriteWhoseOutcomeIsUnknownIsResentWithTheSameRequestId() throws Exception {
    FakeKvNode node = new FakeKvNode(vertx);
    node.script = (n, request) -> n == 1 ? new FakeKvNode.Reset()
        : n == 2 ? new FakeKvNode.Status(GrpcStatus.UNKNOWN, "stopped", Map.of("raftnode-error", "outcome-unknown"))
        : new FakeKvNode.Revision(7);
    try (RaftKvClient client = client(node.address())) {
      assertEquals(7, put(client).get(10, TimeUnit.SECONDS).revision());
    }
    assertEquals(3, node.puts.size());
    PutRequest first = node.puts.get(0);
    assertEquals(client_id(first), client_id(node.puts.get(1)));
    for (PutRequest retry : node.puts) {
      assertEquals(first.getRequestId(), retry.getRequestId(), "every attempt carries the first one's request id");
    }
    assertEquals(1, first.getRequestId().getSequence());
    assertEquals(1, first.getRequestId().getFirstIncomplete());
  }

  @Test
  void withoutRequestIdsAWriteWhoseOutcomeIsUnknownIsNotResent() throws Exception {
    FakeKvNode node = new FakeKvNode(vertx);
    node.script = (n, request) -> n == 1 ? new FakeKvNode.Reset() : new FakeKvNode.Revision(7);
    try (RaftKvClient client = RaftKvClient.builder().addresses(node.address()).requestIds(false).build()) {
      RaftKvException e = failure(put(client));
      assertTrue(e.mayHaveApplied(), e.getMessage());
      assertEquals(1, node.puts.size(), "a second copy could apply the write twice");
      assertFalse(node.puts.get(0).hasRequestId());
    }
  }

  @Test
  void withoutRequestIdsAWriteRefusedUnappliedIsStillResent() throws Exception {
    FakeKvNode node = new FakeKvNode(vertx);
    node.script = (n, request) -> n == 1
        ? new FakeKvNode.Status(GrpcStatus.UNAVAILABLE, "no leader", Map.of("raftnode-error", "not-applied"))
        : new FakeKvNode.Revision(4);
    try (RaftKvClient client = RaftKvClient.builder().addresses(node.address()).requestIds(false).build()) {
      assertEquals(4, put(client).get(10, TimeUnit.SECONDS).revision());
    }
    assertEquals(2, node.puts.size());
    assertFalse(node.puts.get(1).hasRequestId());
  }

  @Test
  void aNotLeaderRefusalSendsTheWriteToTheLeaderItNames() throws Exception {
    FakeKvNode leader = new FakeKvNode(vertx);
    FakeKvNode follower = new FakeKvNode(vertx);
    follower.script = (n, request) -> new FakeKvNode.Status(GrpcStatus.UNAVAILABLE, "not the leader",
        Map.of("raftnode-error", "not-leader", "raftnode-leader-id", "2", "raftnode-leader-address", leader.address()));
    try (RaftKvClient client = client(follower.address())) {
      assertEquals(1, put(client).get(10, TimeUnit.SECONDS).revision());
      assertEquals(leader.address(), client.currentNode());
    }
    assertEquals(1, follower.puts.size());
    assertEquals(follower.puts.get(0).getRequestId(), leader.puts.get(0).getRequestId());
  }

  @Test
  void aNodeOverItsFlowControlBoundIsAskedAgainAfterTheTimeItNames() throws Exception {
    FakeKvNode node = new FakeKvNode(vertx);
    node.script = (n, request) -> n == 1
        ? new FakeKvNode.Status(GrpcStatus.RESOURCE_EXHAUSTED, "too many proposals held",
            Map.of("raftnode-error", "not-applied", "raftnode-retry-after-ms", "200"))
        : new FakeKvNode.Revision(5);
    try (RaftKvClient client = client(node.address())) {
      long started = System.nanoTime();
      assertEquals(5, put(client).get(10, TimeUnit.SECONDS).revision());
      // Ordering, not performance: the retry cannot have come before the wait the node asked for.
      assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(200), "retried before the hint");
    }
    assertEquals(2, node.puts.size());
  }

  @Test
  void aWritePastTheStoreQuotaFailsAtOnceAsNotApplied() throws Exception {
    FakeKvNode node = new FakeKvNode(vertx);
    node.script = (n, request) -> new FakeKvNode.Status(GrpcStatus.RESOURCE_EXHAUSTED,
        "this write would take the store past limits.max_store_bytes", Map.of("raftnode-error", "not-applied"));
    try (RaftKvClient client = client(node.address())) {
      RaftKvException error = failure(put(client));
      assertEquals("RESOURCE_EXHAUSTED", error.status());
      assertEquals(RaftKvException.Reason.NOT_APPLIED, error.reason());
      assertFalse(error.mayHaveApplied());
      assertEquals(1, error.attempts(), "without a retry hint, sending it again cannot help until keys are deleted");
    }
    assertEquals(1, node.puts.size());
  }

  @Test
  void aWriteTooLargeForTheNodeIsNotResent() throws Exception {
    FakeKvNode node = new FakeKvNode(vertx);
    node.script = (n, request) -> new FakeKvNode.Status(GrpcStatus.RESOURCE_EXHAUSTED, "message too large", Map.of());
    try (RaftKvClient client = client(node.address())) {
      RaftKvException error = failure(put(client));
      assertEquals("RESOURCE_EXHAUSTED", error.status());
      assertFalse(error.mayHaveApplied());
      assertEquals(1, error.attempts());
    }
  }

  @Test
  void givingUpOnAWriteLeftInDoubtReportsItInDoubtWhateverTheLastAttemptSaid() throws Exception {
    FakeKvNode node = new FakeKvNode(vertx);
    // First the outcome is unknown, then the node keeps refusing, naming itself as the leader it knows.
    node.script = (n, request) -> n == 1 ? new FakeKvNode.Reset()
        : new FakeKvNode.Status(GrpcStatus.UNAVAILABLE, "no quorum",
            Map.of("raftnode-error", "not-leader", "raftnode-leader-id", "9", "raftnode-leader-address", node.address()));
    try (RaftKvClient client = RaftKvClient.builder().addresses(node.address()).timeout(Duration.ofMillis(5_000)).build()) {
      RaftKvException error = failure(put(client));
      assertEquals("UNAVAILABLE", error.status(), error.getMessage());
      assertEquals(RaftKvException.Reason.NOT_LEADER, error.reason());
      assertEquals(9, error.leaderId());
      assertEquals(node.address(), error.leaderAddress());
      assertTrue(error.mayHaveApplied(), "the first attempt may have applied");
      assertTrue(error.attempts() > 2, "attempts: " + error.attempts());
    }
    FakeKvNode refusing = new FakeKvNode(vertx);
    refusing.script = (n, request) -> new FakeKvNode.Status(GrpcStatus.UNAVAILABLE, "no quorum",
        Map.of("raftnode-error", "not-leader"));
    try (RaftKvClient client = RaftKvClient.builder().addresses(refusing.address()).timeout(Duration.ofMillis(3_000)).build()) {
      assertFalse(failure(put(client)).mayHaveApplied(), "never applied: every attempt was refused");
    }
  }

  @Test
  void aNodeThatCannotBeReachedGivesWayToTheNextAddress() throws Exception {
    FakeKvNode node = new FakeKvNode(vertx);
    try (RaftKvClient client = client("127.0.0.1:1", node.address())) {
      assertEquals(1, put(client).get(10, TimeUnit.SECONDS).revision());
      assertEquals(node.address(), client.currentNode());
    }
  }

  @Test
  void callbacksRunOnTheCallbackExecutorNotTheEventLoop() throws Exception {
    FakeKvNode node = new FakeKvNode(vertx);
    try (RaftKvClient client = client(node.address())) {
      CompletableFuture<Boolean> onEventLoop = put(client).thenApply(r -> io.vertx.core.Context.isOnEventLoopThread());
      assertFalse(onEventLoop.get(10, TimeUnit.SECONDS));
      // A callback that blocks holds up no other call. (Should the put complete before the callback is attached,
      // the callback runs on this thread instead and must not block it.)
      CompletableFuture<Void> blocked = new CompletableFuture<>();
      Thread testThread = Thread.currentThread();
      put(client).thenRun(() -> {
        if (Thread.currentThread() != testThread) blocked.join();
      });
      assertEquals(3, put(client).get(10, TimeUnit.SECONDS).revision());
      blocked.complete(null);
    }
  }

  private static String client_id(PutRequest request) {
    return request.getRequestId().getClientId();
  }

  private static RaftKvClient client(String... addresses) {
    return RaftKvClient.builder().addresses(addresses).build();
  }

  private static CompletableFuture<PutResult> put(RaftKvClient client) {
    return client.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
  }

  static RaftKvException failure(CompletableFuture<?> call) {
    CompletionException e = assertThrows(CompletionException.class, () -> call.orTimeout(30, TimeUnit.SECONDS).join());
    if (e.getCause() instanceof RaftKvException error) return error;
    throw new AssertionError("expected a RaftKvException", e.getCause());
  }
}
