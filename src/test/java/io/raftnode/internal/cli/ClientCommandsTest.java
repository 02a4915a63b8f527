package io.raftnode.internal.cli;

import static io.raftnode.internal.cli.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftnode.internal.cli.CommandLineTest.Result;
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
import io.raftnode.proto.StatusResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client commands against an in-process fake node: request contents, output format, errors, deadlines. */
class ClientCommandsTest {
  private static ByteString utf8(String text) {
    return ByteString.copyFrom(text, StandardCharsets.UTF_8);
  }

  private static Result ok(String... words) {
    Result result = run(words);
    assertEquals(0, result.code(), result.err());
    assertEquals("", result.err());
    return result;
  }

  @Test
  void putSendsUtf8KeyAndValue() throws Exception {
    try (FakeNode node = new FakeNode()
        .answer(KvServiceGrpcService.Put, r -> PutResponse.newBuilder().setRevision(7).build())) {
      String server = node.start();
      assertEquals("put: revision=7\n", ok("kv", "put", "--server", server, "héllo", "wörld").out());
      PutRequest sent = (PutRequest) node.lastRequest;
      assertEquals(utf8("héllo"), sent.getKey());
      assertEquals(utf8("wörld"), sent.getValue());
      assertNotNull(node.lastTimeoutHeader, "the deadline travels in the grpc-timeout header");
    }
  }

  @Test
  void getPrintsFoundOrNotFound() throws Exception {
    try (FakeNode node = new FakeNode().answer(KvServiceGrpcService.Get, r -> r.getKey().equals(utf8("hello"))
        ? GetResponse.newBuilder().setFound(true).setValue(utf8("world")).setRevision(3).build()
        : GetResponse.getDefaultInstance())) {
      String server = node.start();
      assertEquals("get: found value=world revision=3\n", ok("kv", "get", "hello", "--server", server).out());
      assertEquals(Consistency.LINEARIZABLE, ((GetRequest) node.lastRequest).getConsistency());
      assertEquals("get: not found\n", ok("kv", "get", "nope", "--server", server, "--consistency", "stale").out());
      assertEquals(Consistency.STALE, ((GetRequest) node.lastRequest).getConsistency());
      ok("kv", "get", "hello", "--server", server, "--consistency", "lease");
      assertEquals(Consistency.LEASE, ((GetRequest) node.lastRequest).getConsistency());
    }
  }

  @Test
  void deleteAndCompareAndSwap() throws Exception {
    try (FakeNode node = new FakeNode()
        .answer(KvServiceGrpcService.Delete, r -> DeleteResponse.newBuilder().setDeleted(true).setRevision(9).build())
        .answer(KvServiceGrpcService.CompareAndSwap, r -> r.getExpectPresent()
            ? CompareAndSwapResponse.newBuilder().setCurrentPresent(true).setCurrentValue(utf8("v2")).setRevision(4).build()
            : CompareAndSwapResponse.newBuilder().setSucceeded(true).setRevision(5).build())) {
      String server = node.start();
      assertEquals("delete: deleted revision=9\n", ok("kv", "delete", "k", "--server", server).out());
      assertEquals("cas: failed current value=v2 revision=4\n", ok("kv", "cas", "k", "v1", "v3", "--server", server).out());
      CompareAndSwapRequest sent = (CompareAndSwapRequest) node.lastRequest;
      assertTrue(sent.getExpectPresent());
      assertEquals(utf8("v1"), sent.getExpected());
      assertEquals(utf8("v3"), sent.getNewValue());
      assertEquals("cas: succeeded revision=5\n", ok("kv", "cas", "--absent", "k", "v1", "--server", server).out());
      assertEquals(false, ((CompareAndSwapRequest) node.lastRequest).getExpectPresent());
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
  void aGrpcErrorIsPrintedWithItsStatus() throws Exception {
    try (FakeNode node = new FakeNode().fail(KvServiceGrpcService.Put, GrpcStatus.UNAVAILABLE, "no leader")) {
      Result result = run("kv", "put", "k", "v", "--server", node.start());
      assertEquals(1, result.code());
      assertEquals("", result.out());
      assertEquals("error: UNAVAILABLE: no leader (not applied)\n", result.err());
    }
  }

  @Test
  void aWriteWhoseConnectionDropsMidCallHasAnUnknownOutcome() throws Exception {
    try (FakeNode node = new FakeNode().dropConnection(KvServiceGrpcService.Put)) {
      Result result = run("kv", "put", "k", "v", "--server", node.start());
      assertEquals(1, result.code());
      assertTrue(result.err().startsWith("error: UNKNOWN: "), result.err());
      assertTrue(result.err().contains("outcome unknown"), result.err());
    }
  }

  @Test
  void aWriteThatFailedWithAnOutcomeUnknownStatusSaysSo() throws Exception {
    try (FakeNode node = new FakeNode().fail(KvServiceGrpcService.Delete, GrpcStatus.UNKNOWN, "the node stopped")) {
      Result result = run("kv", "delete", "k", "--server", node.start());
      assertEquals("error: UNKNOWN: the node stopped (outcome unknown)\n", result.err());
    }
  }

  @Test
  void aReadIsPrintedWithoutAnOutcome() throws Exception {
    try (FakeNode node = new FakeNode().fail(KvServiceGrpcService.Get, GrpcStatus.UNAVAILABLE, "no leader")) {
      Result result = run("kv", "get", "k", "--server", node.start());
      assertEquals("error: UNAVAILABLE: no leader\n", result.err());
    }
  }

  @Test
  void aSilentServerHitsTheDeadline() throws Exception {
    try (FakeNode node = new FakeNode().hang(KvServiceGrpcService.Get)) {
      long start = System.nanoTime();
      Result result = run("kv", "get", "k", "--timeout-ms", "300", "--server", node.start());
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(1, result.code());
      assertTrue(result.err().startsWith("error: DEADLINE_EXCEEDED: "), result.err());
      assertTrue(result.err().contains("outcome unknown"), result.err());
      assertTrue(elapsedMs < 5000, "took " + elapsedMs + " ms");
      assertTrue(node.lastTimeoutHeader.matches("300(m|000u|000000n)"), node.lastTimeoutHeader);
    }
  }

  @Test
  void nothingListeningIsUnavailable() {
    Result result = run("kv", "get", "x", "--server", "127.0.0.1:1");
    assertEquals(1, result.code());
    assertTrue(result.err().startsWith("error: UNAVAILABLE: cannot reach 127.0.0.1:1"), result.err());
  }
}
