package io.raftnode.cluster;

import static io.raftnode.cluster.KvTestClient.utf8;
import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.RequestId;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once writes for a client that pipelines: 64 writes with request ids in flight together on one
 * KvSessionService stream to a follower, which forwards each to the leader on its own, so they reach the log in
 * any order; then the leader is stopped and every write is retried with its id through a survivor. Each write
 * applies once and every retry is answered with the first answer.
 *
 * <p>Two clients take part: one that says which answers it still waits for ({@code first_incomplete}, here 1
 * throughout: it retries everything, as a client that lost its answers would), and one that says nothing (an
 * older client). Client A's writes are CompareAndSwaps of absent keys (applied twice, the second would fail);
 * client B's are Puts (applied twice, the key's revision would move on).
 */
@Timeout(180)
class PipelinedExactlyOnceTest {
  private static final int WRITES = 64;
  private static final String CAS_CLIENT = "pipelining-cas";
  private static final String PUT_CLIENT = "pipelining-put";

  @TempDir
  Path dataDirs;

  @Test
  void pipelinedWritesApplyOnceAndEveryRetryAfterALeaderStopGetsTheFirstAnswer() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      List<SessionCall> writes = writes("first-", 1, new Random(7));
      List<SessionAnswer> first;
      try (SessionClient session = SessionClient.open(cluster, follower)) {
        first = await(session.pipeline(withCallIds(writes, 1), writes.size()));
      }
      for (SessionAnswer a : first) assertSucceeded(a);

      cluster.stop(leader);
      cluster.awaitLeader();
      List<SessionAnswer> retries;
      try (SessionClient session = SessionClient.open(cluster, follower)) {
        retries = await(session.pipeline(withCallIds(writes, 1), writes.size()));
        for (int i = 0; i < writes.size(); i++) {
          assertEquals(withoutCallId(first.get(i)), withoutCallId(retries.get(i)),
              "the retry of " + describe(writes.get(i)) + " is answered with the first answer");
        }
        assertAppliedOnce(cluster, follower, writes, first);

        // The CAS client now has every answer: saying so lets the node forget them, and a late copy is refused.
        long next = WRITES + 1;
        assertSucceeded(await(session.call(cas(1000, "first-after", CAS_CLIENT, next, next))));
        SessionAnswer late = await(session.call(withCallIds(List.of(writes.get(index(writes, CAS_CLIENT, 3))), 1001).get(0)));
        assertTrue(late.hasError(), late.toString());
        assertEquals(GrpcStatus.FAILED_PRECONDITION.code, late.getError().getCode());
        assertTrue(late.getError().getMessage().contains("stale sequence 3"), late.getError().getMessage());

        // A write is itself unanswered, so a first_incomplete above its sequence is no request id.
        long callId = 1002;
        for (long bad : new long[] {next + 2, -1L /* 2^64 - 1 */}) {
          SessionAnswer refused = await(session.call(cas(callId++, "first-bad", CAS_CLIENT, next + 1, bad)));
          assertTrue(refused.hasError(), refused.toString());
          assertEquals(GrpcStatus.INVALID_ARGUMENT.code, refused.getError().getCode(), refused.toString());
          assertTrue(refused.getError().getMessage().contains("first_incomplete"), refused.getError().getMessage());
        }
        assertEquals(false, await(cluster.client(follower).get("first-bad", Consistency.LINEARIZABLE)).getFound());
        session.assertEveryCallAnsweredOnce();
      }
    }
  }

  @Test
  void writesInFlightWhenTheLeaderStopsApplyOnceWhenRetried() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      List<SessionCall> writes = writes("racing-", 1, new Random(11));
      List<SessionAnswer> first;
      try (SessionClient session = SessionClient.open(cluster, follower)) {
        var answers = session.pipeline(withCallIds(writes, 1), writes.size());
        cluster.stop(leader); // some writes are applied by then, some not, some in between
        first = await(answers);
      }
      cluster.awaitLeader();
      List<SessionAnswer> retries;
      try (SessionClient session = SessionClient.open(cluster, follower)) {
        retries = await(session.pipeline(withCallIds(writes, 1), writes.size()));
      }
      for (int i = 0; i < writes.size(); i++) {
        assertSucceeded(retries.get(i));
        if (!first.get(i).hasError()) {
          assertEquals(withoutCallId(first.get(i)), withoutCallId(retries.get(i)),
              "the retry of " + describe(writes.get(i)) + ", answered before, gets that answer");
        }
      }
      assertAppliedOnce(cluster, follower, writes, retries);
    }
  }

  /** Every key holds its write's value, at the revision the write was answered with: it applied once. */
  private static void assertAppliedOnce(TestCluster cluster, long node, List<SessionCall> writes,
      List<SessionAnswer> answers) {
    for (int i = 0; i < writes.size(); i++) {
      SessionCall w = writes.get(i);
      String key = w.hasPut() ? w.getPut().getKey().toStringUtf8() : w.getCompareAndSwap().getKey().toStringUtf8();
      String value = w.hasPut() ? w.getPut().getValue().toStringUtf8() : w.getCompareAndSwap().getNewValue().toStringUtf8();
      GetResponse now = await(cluster.client(node).get(key, Consistency.LINEARIZABLE));
      assertEquals(value, now.getValue().toStringUtf8(), key);
      assertEquals(revision(answers.get(i)), now.getRevision(), key + " was written once, by its first application");
    }
  }

  /** The CAS client's and the Put client's writes, each client's sequences 1..64, interleaved and shuffled. */
  private static List<SessionCall> writes(String prefix, long firstIncomplete, Random random) {
    List<SessionCall> calls = new ArrayList<>();
    for (long seq = 1; seq <= WRITES; seq++) {
      calls.add(cas(0, prefix + "cas-" + seq, CAS_CLIENT, seq, firstIncomplete));
      calls.add(SessionCall.newBuilder().setPut(PutRequest.newBuilder().setKey(utf8(prefix + "put-" + seq))
          .setValue(utf8("v" + seq)).setRequestId(RequestId.newBuilder().setClientId(PUT_CLIENT).setSequence(seq)))
          .build());
    }
    // Pipelined writes reach the leader in any order; shuffling makes sure these do.
    Collections.shuffle(calls, random);
    return calls;
  }

  private static SessionCall cas(long callId, String key, String client, long seq, long firstIncomplete) {
    return SessionCall.newBuilder().setCallId(callId).setCompareAndSwap(CompareAndSwapRequest.newBuilder()
        .setKey(utf8(key)).setExpectPresent(false).setNewValue(utf8("v" + seq))
        .setRequestId(RequestId.newBuilder().setClientId(client).setSequence(seq).setFirstIncomplete(firstIncomplete)))
        .build();
  }

  private static List<SessionCall> withCallIds(List<SessionCall> calls, long firstId) {
    List<SessionCall> out = new ArrayList<>();
    for (SessionCall c : calls) out.add(c.toBuilder().setCallId(firstId + out.size()).build());
    return out;
  }

  private static int index(List<SessionCall> writes, String client, long seq) {
    for (int i = 0; i < writes.size(); i++) {
      SessionCall w = writes.get(i);
      RequestId id = w.hasPut() ? w.getPut().getRequestId() : w.getCompareAndSwap().getRequestId();
      if (id.getClientId().equals(client) && id.getSequence() == seq) return i;
    }
    throw new AssertionError("no write " + client + "/" + seq);
  }

  private static void assertSucceeded(SessionAnswer a) {
    assertTrue(!a.hasError(), "a write failed: " + a);
    if (a.hasCompareAndSwap()) {
      CompareAndSwapResponse r = a.getCompareAndSwap();
      assertTrue(r.getSucceeded(), "a CompareAndSwap of an absent key failed (applied twice?): " + a);
    } else {
      assertTrue(a.hasPut(), a.toString());
    }
  }

  private static long revision(SessionAnswer a) {
    return a.hasPut() ? a.getPut().getRevision() : a.getCompareAndSwap().getRevision();
  }

  private static SessionAnswer withoutCallId(SessionAnswer a) {
    return a.toBuilder().clearCallId().build();
  }

  private static String describe(SessionCall w) {
    RequestId id = w.hasPut() ? w.getPut().getRequestId() : w.getCompareAndSwap().getRequestId();
    return id.getClientId() + "/" + id.getSequence();
  }
}
