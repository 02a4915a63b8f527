package io.raftnode.internal.cli;

import static io.raftnode.internal.cli.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftnode.internal.cli.CommandLineTest.Result;
import io.raftnode.internal.service.ClientFailure;
import io.raftnode.proto.AdminServiceGrpcService;
import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.DeleteResponse;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.KvServiceGrpcService;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.raftnode.proto.RequestId;
import io.raftnode.proto.StatusResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The client commands against in-process fake nodes: request contents, output format, errors, deadlines, and for the
 * kv commands the client's leader discovery and retries (the fakes answer Status as the client asks it).
 */
class ClientCommandsTest {
  /** Long enough for a few retries on a loaded machine, short enough to keep the retried failures quick. */
  private static final String RETRY_WINDOW_MS = "2000";

  private static ByteString utf8(String text) {
    return ByteString.copyFrom(text, StandardCharsets.UTF_8);
  }

  private static Result ok(String... words) {
    Result result = run(words);
    assertEquals(0, result.code(), result.err());
    assertEquals("", result.err());
    return result;
  }

  private static Result failed(String... words) {
    Result result = run(words);
    assertEquals(1, result.code(), result.err());
    assertEquals("", result.out());
    return result;
  }

  private static void assertMatches(String regex, String text) {
    assertTrue(Pattern.compile(regex, Pattern.DOTALL).matcher(text).matches(), "expected " + regex + ", got: " + text);
  }

  /** The request ids of every Put {@code node} received. */
  private static List<RequestId> putIds(FakeNode node) {
    return node.received(KvServiceGrpcService.Put).stream().map(r -> ((PutRequest) r.request()).getRequestId()).toList();
  }

  /** A node's trailers for a refusal: the reason word, and the leader (id and client address) if one is named. */
  private static Map<String, String> refusal(String reason, String leaderAddress) {
    if (leaderAddress == null) return Map.of(ClientFailure.REASON, reason);
    return Map.of(ClientFailure.REASON, reason, ClientFailure.LEADER_ID, "2", ClientFailure.LEADER_ADDRESS, leaderAddress);
  }

  @Test
  void putSendsUtf8KeyAndValueWithARequestId() throws Exception {
    try (FakeNode node = new FakeNode().leading()
        .answer(KvServiceGrpcService.Put, r -> PutResponse.newBuilder().setRevision(7).build())) {
      String server = node.start();
      assertEquals("put: revision=7\n", ok("kv", "put", "--server", server, "héllo", "wörld").out());
      PutRequest sent = node.last(KvServiceGrpcService.Put);
      assertEquals(utf8("héllo"), sent.getKey());
      assertEquals(utf8("wörld"), sent.getValue());
      assertFalse(sent.getRequestId().getClientId().isEmpty(), "a write carries a request id: " + sent);
      assertTrue(sent.getRequestId().getSequence() > 0, "a write carries a request id: " + sent);
      assertNotNull(node.received(KvServiceGrpcService.Put).get(0).timeoutHeader(),
          "the deadline travels in the grpc-timeout header");
    }
  }

  @Test
  void getPrintsFoundOrNotFound() throws Exception {
    try (FakeNode node = new FakeNode().leading().answer(KvServiceGrpcService.Get, r -> r.getKey().equals(utf8("hello"))
        ? GetResponse.newBuilder().setFound(true).setValue(utf8("world")).setRevision(3).build()
        : GetResponse.getDefaultInstance())) {
      String server = node.start();
      assertEquals("get: found value=world revision=3\n", ok("kv", "get", "hello", "--server", server).out());
      assertEquals(Consistency.LINEARIZABLE, node.<GetRequest>last(KvServiceGrpcService.Get).getConsistency());
      assertEquals("get: not found\n", ok("kv", "get", "nope", "--server", server, "--consistency", "stale").out());
      assertEquals(Consistency.STALE, node.<GetRequest>last(KvServiceGrpcService.Get).getConsistency());
      ok("kv", "get", "hello", "--server", server, "--consistency", "lease");
      assertEquals(Consistency.LEASE, node.<GetRequest>last(KvServiceGrpcService.Get).getConsistency());
    }
  }

  @Test
  void deleteAndCompareAndSwap() throws Exception {
    try (FakeNode node = new FakeNode().leading()
        .answer(KvServiceGrpcService.Delete, r -> DeleteResponse.newBuilder().setDeleted(true).setRevision(9).build())
        .answer(KvServiceGrpcService.CompareAndSwap, r -> r.getExpectPresent()
            ? CompareAndSwapResponse.newBuilder().setCurrentPresent(true).setCurrentValue(utf8("v2")).setRevision(4).build()
            : CompareAndSwapResponse.newBuilder().setSucceeded(true).setRevision(5).build())) {
      String server = node.start();
      assertEquals("delete: deleted revision=9\n", ok("kv", "delete", "k", "--server", server).out());
      assertEquals("cas: failed current value=v2 revision=4\n", ok("kv", "cas", "k", "v1", "v3", "--server", server).out());
      CompareAndSwapRequest sent = node.last(KvServiceGrpcService.CompareAndSwap);
      assertTrue(sent.getExpectPresent());
      assertEquals(utf8("v1"), sent.getExpected());
      assertEquals(utf8("v3"), sent.getNewValue());
      assertEquals("cas: succeeded revision=5\n", ok("kv", "cas", "--absent", "k", "v1", "--server", server).out());
      CompareAndSwapRequest absent = node.last(KvServiceGrpcService.CompareAndSwap);
      assertEquals(false, absent.getExpectPresent());
      assertEquals(utf8("k"), absent.getKey());
      assertEquals(utf8("v1"), absent.getNewValue());
    }
  }

  @Test
  void statusPrintsOneFieldPerLine() throws Exception {
    StatusResponse status = StatusResponse.newBuilder().setNodeId(2).setRole("leader").setTerm(5).setLeaderId(2)
        .setCommitIndex(10).setAppliedIndex(9).setLastLogIndex(11).addAllVoters(List.of(1L, 2L, 3L)).build();
    try (FakeNode node = new FakeNode().answer(AdminServiceGrpcService.Status, r -> status)) {
      String server = node.start();
      assertEquals("""
          node_id: 2
          role: leader
          term: 5
          leader_id: 2
          commit_index: 10
          applied_index: 9
          last_log_index: 11
          snapshot_index: 0
          voters: 1,2,3
          learners:\s
          membership_log_index: 0
          joint_new_voters:\s
          removed:\s
          removed_from_cluster: false
          version:\s
          data_size_bytes: 0
          reads_served: 0
          """, ok("status", "--server", server).out());
    }
  }

  @Test
  void statusPrintsTheKeyValueStoresSizeAndQuotaWhenTheNodeSaysThem() throws Exception {
    StatusResponse status = StatusResponse.newBuilder().setNodeId(2).setRole("leader")
        .setKvStoreBytes(1234).setMaxStoreBytes(268435456).build();
    try (FakeNode node = new FakeNode().answer(AdminServiceGrpcService.Status, r -> status)) {
      String out = ok("status", "--server", node.start()).out();
      assertTrue(out.endsWith("reads_served: 0\nkv_store_bytes: 1234\nmax_store_bytes: 268435456\n"), out);
    }
  }

  @Test
  void aPutThroughAFollowerGoesToTheLeaderTheFollowerNames() throws Exception {
    try (FakeNode leader = new FakeNode().leading()
        .answer(KvServiceGrpcService.Put, r -> PutResponse.newBuilder().setRevision(11).build());
        FakeNode follower = new FakeNode()) {
      String leaderAddress = leader.start();
      follower.following(leaderAddress).fail(KvServiceGrpcService.Put, GrpcStatus.UNAVAILABLE, "not the leader");
      // The follower names the leader in its trailers, as a node that cannot forward a write does.
      follower.failFirst(KvServiceGrpcService.Put, GrpcStatus.UNAVAILABLE, "not the leader",
          refusal("not-leader", leaderAddress));
      assertEquals("put: revision=11\n", ok("kv", "put", "k", "v", "--server", follower.start()).out());
      assertEquals(1, putIds(leader).size(), "the leader applied the write once");
      assertTrue(putIds(follower).contains(putIds(leader).get(0)), "the leader got the same write: "
          + putIds(follower) + " / " + putIds(leader));
    }
  }

  @Test
  void aPutThroughAFollowerThatNamesNoLeaderFindsTheLeaderFromStatus() throws Exception {
    try (FakeNode leader = new FakeNode().leading()
        .answer(KvServiceGrpcService.Put, r -> PutResponse.newBuilder().setRevision(12).build());
        FakeNode follower = new FakeNode()) {
      String leaderAddress = leader.start();
      follower.following(leaderAddress).fail(KvServiceGrpcService.Put, GrpcStatus.UNAVAILABLE, "not the leader",
          refusal("not-leader", null));
      assertEquals("put: revision=12\n", ok("kv", "put", "k", "v", "--server", follower.start()).out());
      assertEquals(1, putIds(leader).size());
      assertFalse(follower.received(AdminServiceGrpcService.Status).isEmpty(), "the client asked who leads");
    }
  }

  @Test
  void aRefusedWriteIsSentAgainWithTheSameRequestId() throws Exception {
    try (FakeNode node = new FakeNode().leading()
        .answer(KvServiceGrpcService.Put, r -> PutResponse.newBuilder().setRevision(8).build())) {
      node.failFirst(KvServiceGrpcService.Put, GrpcStatus.UNAVAILABLE, "lost its log slot", refusal("not-applied", null));
      node.failFirst(KvServiceGrpcService.Put, GrpcStatus.UNAVAILABLE, "no leader", refusal("not-leader", null));
      assertEquals("put: revision=8\n", ok("kv", "put", "k", "v", "--server", node.start()).out());
      List<RequestId> ids = putIds(node);
      assertEquals(3, ids.size(), ids.toString());
      assertEquals(1, ids.stream().distinct().count(), "one write, one request id: " + ids);
    }
  }

  @Test
  void aGrpcErrorIsPrintedWithItsStatus() throws Exception {
    try (FakeNode node = new FakeNode().leading().fail(KvServiceGrpcService.Put, GrpcStatus.UNAVAILABLE, "no leader")) {
      Result result = failed("kv", "put", "k", "v", "--timeout-ms", RETRY_WINDOW_MS, "--server", node.start());
      assertMatches("error: UNAVAILABLE: 127\\.0\\.0\\.1:\\d+ answered UNAVAILABLE: no leader \\(after \\d+ attempts\\)"
          + " \\(not applied\\)\n", result.err());
      assertTrue(putIds(node).size() > 1, "retried until the deadline");
      assertEquals(1, putIds(node).stream().distinct().count(), "with one request id: " + putIds(node));
    }
  }

  @Test
  void aWriteWhoseConnectionDropsMidCallHasAnUnknownOutcome() throws Exception {
    try (FakeNode node = new FakeNode().leading().dropConnection(KvServiceGrpcService.Put)) {
      Result result = failed("kv", "put", "k", "v", "--timeout-ms", RETRY_WINDOW_MS, "--server", node.start());
      assertTrue(result.err().startsWith("error: UNKNOWN: "), result.err());
      assertTrue(result.err().endsWith(" (outcome unknown)\n"), result.err());
      assertFalse(result.err().contains("not applied"), result.err());
    }
  }

  @Test
  void aWriteThatFailedWithAnOutcomeUnknownStatusSaysSo() throws Exception {
    try (FakeNode node = new FakeNode().leading().fail(KvServiceGrpcService.Delete, GrpcStatus.UNKNOWN, "the node stopped")) {
      Result result = failed("kv", "delete", "k", "--timeout-ms", RETRY_WINDOW_MS, "--server", node.start());
      assertMatches("error: UNKNOWN: 127\\.0\\.0\\.1:\\d+ answered UNKNOWN: the node stopped \\(after \\d+ attempts\\)"
          + " \\(outcome unknown\\)\n", result.err());
    }
  }

  @Test
  void aWriteLeftInDoubtIsNotReportedAsNotAppliedWhenALaterAttemptIsRefused() throws Exception {
    try (FakeNode node = new FakeNode().leading().fail(KvServiceGrpcService.Put, GrpcStatus.UNAVAILABLE, "no leader")) {
      node.failFirst(KvServiceGrpcService.Put, GrpcStatus.UNKNOWN, "the node stopped", Map.of());
      Result result = failed("kv", "put", "k", "v", "--timeout-ms", RETRY_WINDOW_MS, "--server", node.start());
      assertTrue(result.err().startsWith("error: UNAVAILABLE: "), result.err());
      assertTrue(result.err().endsWith(" (outcome unknown)\n"), result.err());
      assertFalse(result.err().contains("not applied"), result.err());
    }
  }

  @Test
  void aReadIsPrintedWithoutAnOutcome() throws Exception {
    try (FakeNode node = new FakeNode().leading().fail(KvServiceGrpcService.Get, GrpcStatus.UNAVAILABLE, "no leader")) {
      Result result = failed("kv", "get", "k", "--timeout-ms", RETRY_WINDOW_MS, "--server", node.start());
      assertMatches("error: UNAVAILABLE: 127\\.0\\.0\\.1:\\d+ answered UNAVAILABLE: no leader \\(after \\d+ attempts\\)\n",
          result.err());
    }
  }

  @Test
  void aSilentServerHitsTheDeadline() throws Exception {
    try (FakeNode node = new FakeNode().leading().hang(KvServiceGrpcService.Put).hang(KvServiceGrpcService.Get)) {
      String server = node.start();
      long start = System.nanoTime();
      Result write = failed("kv", "put", "k", "v", "--timeout-ms", "300", "--server", server);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(write.err().startsWith("error: DEADLINE_EXCEEDED: "), write.err());
      assertTrue(write.err().endsWith(" (outcome unknown)\n"), write.err());
      assertTrue(elapsedMs < 5000, "took " + elapsedMs + " ms");
      assertDeadlineAtMost(300, node.received(KvServiceGrpcService.Put).get(0).timeoutHeader());

      Result read = failed("kv", "get", "k", "--timeout-ms", "300", "--server", server);
      assertTrue(read.err().startsWith("error: DEADLINE_EXCEEDED: "), read.err());
      assertFalse(read.err().contains("outcome") || read.err().contains("applied"), "a read applies nothing: " + read.err());
    }
  }

  /** The grpc-timeout header (digits and a unit) is what is left of a deadline of {@code ms}: above 0, at most that. */
  private static void assertDeadlineAtMost(long ms, String header) {
    assertNotNull(header, "the deadline travels in the grpc-timeout header");
    Matcher m = Pattern.compile("(\\d+)([mun])").matcher(header);
    assertTrue(m.matches(), header);
    long nanos = Long.parseLong(m.group(1)) * switch (m.group(2)) {
      case "m" -> 1_000_000L;
      case "u" -> 1_000L;
      default -> 1L;
    };
    assertTrue(nanos > 0 && nanos <= ms * 1_000_000L, header);
  }

  @Test
  void nothingListeningIsUnavailable() {
    Result result = failed("kv", "get", "x", "--timeout-ms", RETRY_WINDOW_MS, "--server", "127.0.0.1:1");
    assertTrue(result.err().startsWith("error: UNAVAILABLE: cannot reach 127.0.0.1:1"), result.err());
  }
}
