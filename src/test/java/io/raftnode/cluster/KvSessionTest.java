package io.raftnode.cluster;

import static io.raftnode.cluster.KvTestClient.utf8;
import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftnode.HostAndPort;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.DeleteRequest;
import io.raftnode.proto.DeleteResponse;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.RequestId;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * KvSessionService.Session against a three-node cluster: calls multiplexed on one stream are each answered once
 * with their call id, behave exactly as the unary KvService calls (forwarding, errors, exactly-once request ids),
 * a failed call does not end the session, and a message that is not a SessionRequest does. Calls travel in
 * SessionRequests of several calls, answers in SessionResponses of several answers.
 */
@Timeout(180)
class KvSessionTest {
  private static final int INVALID_ARGUMENT = GrpcStatus.INVALID_ARGUMENT.code;
  private static final int FAILED_PRECONDITION = GrpcStatus.FAILED_PRECONDITION.code;
  /** KvSessionEndpoint.MAX_CALLS_IN_FLIGHT: how many calls a session may have outstanding. */
  private static final int KV_SESSION_BOUND = 4096;

  @TempDir
  Path dataDirs;

  @Test
  void manyPutsInFlightOnTheLeaderAreEachAnsweredOnceAndApplied() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      try (SessionClient session = SessionClient.open(cluster, leader).callsPerMessage(50)) {
        Map<String, String> written = putsAndCheckAnswers(session, "leader-", 500, 500);
        assertEquals(500, await(session.maxInFlight()), "the calls were all in flight together");

        assertReadsOnSession(session, written, Consistency.LINEARIZABLE);
        assertEquals(GrpcStatus.OK, await(session.finish()).status(), "a session the client ends ends OK");
        session.assertEveryCallAnsweredOnce();
        ThreeNodeClusterTest.assertAllPresent(cluster, leader, written, Consistency.LINEARIZABLE);
      }
    }
  }

  @Test
  void aFollowerForwardsEachSessionCallToTheLeader() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      Map<String, String> written;
      try (SessionClient session = SessionClient.open(cluster, follower)) {
        written = putsAndCheckAnswers(session, "via-follower-", 500, 64);
        assertEquals(64, await(session.maxInFlight()), "a window of 64 calls in flight");

        assertReadsOnSession(session, written, Consistency.LEASE);        // forwarded to the leader per call
        assertReadsOnSession(session, written, Consistency.LINEARIZABLE); // served by the follower itself
        assertEquals(GrpcStatus.OK, await(session.finish()).status());
        session.assertEveryCallAnsweredOnce();
      }
      ThreeNodeClusterTest.assertAllPresent(cluster, leader, written, Consistency.LINEARIZABLE);
    }
  }

  @Test
  void thousandsOfCallsOnOneSessionAreAllAnswered() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      try (SessionClient session = SessionClient.open(cluster, leader)) {
        List<SessionCall> calls = putCalls("many-", 6000);
        Future<List<SessionAnswer>> answers = session.pipeline(calls, calls.size());
        // The client ends its side right after the last call, with all of them in flight: the server answers
        // them all, then ends the stream OK.
        Future<SessionClient.Ended> ended = session.finish();
        checkPutAnswers(calls, await(answers));
        assertEquals(GrpcStatus.OK, await(ended).status());
        session.assertEveryCallAnsweredOnce();
      }
    }
  }

  @Test
  void moreCallsThanTheInFlightBoundWhileNoneCanCompleteAreAllAnswered() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      List<Long> followers = new ArrayList<>();
      cluster.ids().forEach(id -> {
        if (id != leader) followers.add(id);
      });
      try (SessionClient session = SessionClient.open(cluster, leader).callsPerMessage(100)) {
        // Without a quorum no linearizable read completes until it fails as the unary call would (after the wait
        // for a leader), so the server reads messages until 4096 calls are outstanding, stops reading, and must
        // read the rest once answers go out.
        followers.forEach(cluster::stop);
        int count = KV_SESSION_BOUND + 904;
        List<SessionCall> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) calls.add(get(i + 1, "stuck-" + i, Consistency.LINEARIZABLE));
        List<SessionAnswer> answers = await(session.pipeline(calls, count));
        for (int i = 0; i < count; i++) {
          SessionAnswer answer = answers.get(i);
          assertEquals(i + 1, answer.getCallId());
          assertTrue(answer.hasError(), "no read can complete without a quorum: " + answer);
          GrpcStatus status = GrpcStatus.valueOf(answer.getError().getCode());
          assertTrue(status == GrpcStatus.UNAVAILABLE || status == GrpcStatus.DEADLINE_EXCEEDED, answer.toString());
        }
        session.assertEveryCallAnsweredOnce();

        // The session outlives the outage.
        followers.forEach(cluster::start);
        cluster.awaitLeader();
        SessionAnswer after = await(session.call(put(count + 1, "after-outage", "ok")));
        assertTrue(after.hasPut() && after.getPut().getRevision() > 0, after.toString());
        assertEquals(GrpcStatus.OK, await(session.finish()).status());
        session.assertEveryCallAnsweredOnce();
      }
    }
  }

  @Test
  void answersReadyTogetherBeyondWhatOneMessageMayHoldAllArrive() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      String big = "v".repeat(8 * 1024);
      try (SessionClient session = SessionClient.open(cluster, leader).callsPerMessage(200)) {
        assertTrue(await(session.call(put(1, "big", big))).hasPut());
        // 200 STALE reads in one message complete in one turn: 1.6 MB of answers, past the 256 KiB a Vert.x
        // gRPC client takes in one message by default, so the node must split them.
        List<SessionCall> reads = new ArrayList<>();
        for (int i = 0; i < 200; i++) reads.add(get(i + 2, "big", Consistency.STALE));
        List<SessionAnswer> answers = await(session.pipeline(reads, reads.size()));
        for (SessionAnswer answer : answers) {
          assertTrue(answer.hasGet() && answer.getGet().getValue().toStringUtf8().equals(big), "call " + answer.getCallId());
        }
        assertEquals(GrpcStatus.OK, await(session.finish()).status());
        session.assertEveryCallAnsweredOnce();
      }
    }
  }

  @Test
  void callsOfASessionTheClientCancelledAreNotAnswered() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3);
        ServerLog log = ServerLog.capture()) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      try (SessionClient cancelled = SessionClient.open(cluster, leader)) {
        SessionClient other = cancelled.anotherOnTheSameConnection();
        // 150 calls: each answer message the node wrote before it saw the reset draws a stream reset from the
        // client, whose HTTP/2 layer (Netty) drops the connection after 200 of them in 30 s.
        cancelled.pipeline(putCalls("cancelled-", 150), 150);
        await(cancelled.cancel());

        // The other session's call reaches the node after the reset, on the same connection, and is applied
        // after the cancelled calls, so by its answer the node has finished with them.
        SessionAnswer after = await(other.call(put(1, "after-cancel", "ok")));
        assertTrue(after.hasPut() && after.getPut().getRevision() > 0, after.toString());
        assertEquals(GrpcStatus.OK, await(other.finish()).status());
        other.assertEveryCallAnsweredOnce();
      }
      assertEquals(0, log.writesToFailedStreams(),
          "answers to a cancelled session's calls written to its failed stream");
    }
  }

  @Test
  void aBadCallIsAnsweredWithItsErrorAndTheSessionGoesOn() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      try (SessionClient session = SessionClient.open(cluster, leader)) {
        List<SessionCall> calls = List.of(
            put(1, "good-1", "a"),
            put(2, "", "empty key"),
            SessionCall.newBuilder().setCallId(3).build(),  // no operation
            SessionCall.newBuilder().setCallId(0).build(),  // no operation, every field at its default
            SessionCall.newBuilder().setCallId(4)
                .setGet(GetRequest.newBuilder().setKey(utf8("good-1")).setConsistencyValue(99)).build(),
            put(5, "k".repeat(4097), "key over the limit"),
            SessionCall.newBuilder().setCallId(6).setPut(PutRequest.newBuilder().setKey(utf8("big"))
                .setValue(ByteString.copyFrom(new byte[(1 << 20) + 1]))).build(),
            SessionCall.newBuilder().setCallId(7).setDelete(DeleteRequest.newBuilder().setKey(utf8("good-1"))
                .setRequestId(RequestId.newBuilder().setClientId("").setSequence(1))).build(),
            SessionCall.newBuilder().setCallId(8).setCompareAndSwap(CompareAndSwapRequest.getDefaultInstance()).build(),
            put(9, "good-2", "b"));
        // All in one SessionRequest: the bad calls fail alone.
        session.callsPerMessage(calls.size());
        List<SessionAnswer> answers = await(session.pipeline(calls, calls.size()));
        for (int i = 0; i < calls.size(); i++) {
          long callId = calls.get(i).getCallId();
          SessionAnswer answer = answers.get(i);
          assertEquals(callId, answer.getCallId());
          if (callId == 1 || callId == 9) {
            assertTrue(answer.hasPut() && answer.getPut().getRevision() > 0, "call " + callId + ": " + answer);
          } else {
            assertTrue(answer.hasError(), "call " + callId + " must fail: " + answer);
            assertEquals(INVALID_ARGUMENT, answer.getError().getCode(), "call " + callId + ": " + answer);
            assertFalse(answer.getError().getMessage().isEmpty(), "call " + callId + " says why");
          }
        }

        // A SessionRequest without calls (an empty message) has nothing to answer; the session serves what comes
        // after it.
        await(session.writeRaw(new byte[0]));
        SessionAnswer later = await(session.call(put(10, "good-3", "c")));
        assertTrue(later.hasPut() && later.getPut().getRevision() > 0, later.toString());
        SessionAnswer read = await(session.call(get(11, "good-1", Consistency.LINEARIZABLE)));
        assertTrue(read.hasGet() && read.getGet().getFound(), read.toString());
        assertEquals("a", read.getGet().getValue().toStringUtf8());
        assertEquals(GrpcStatus.OK, await(session.finish()).status());
        session.assertEveryCallAnsweredOnce();

        // The unary call refuses the same request with the same code.
        RemoteCallException unary = TestCluster.remoteFailure(cluster.client(leader).put("", "empty key"));
        assertEquals(GrpcStatus.INVALID_ARGUMENT, unary.status());
        GetResponse big = await(cluster.client(leader).get("big", Consistency.LINEARIZABLE));
        assertFalse(big.getFound(), "a refused call wrote nothing");
      }
    }
  }

  @Test
  void deleteAndCompareAndSwapAnswerAsTheirUnaryTwins() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      GrpcClient grpc = GrpcClient.client(cluster.vertx, cluster.clientPortOptions());
      HostAndPort client = cluster.config(leader).clientAddress();
      SocketAddress address = SocketAddress.inetSocketAddress(client.port(), client.host());
      try (SessionClient session = SessionClient.open(cluster, leader)) {
        // The same script on two keys: one through the session, one through the unary calls.
        String s = "cas-session";
        String u = "cas-unary";
        long[] callId = {100};

        // Create when absent.
        CompareAndSwapResponse created = casBoth(session, grpc, address, callId, s, u, false, "", "v1");
        assertTrue(created.getSucceeded(), created.toString());
        assertTrue(created.getCurrentPresent());
        assertEquals("v1", created.getCurrentValue().toStringUtf8());
        assertTrue(created.getRevision() > 0);

        // Expected absent, but present: fails and shows the current value.
        CompareAndSwapResponse notAbsent = casBoth(session, grpc, address, callId, s, u, false, "", "x");
        assertFalse(notAbsent.getSucceeded());
        assertTrue(notAbsent.getCurrentPresent());
        assertEquals("v1", notAbsent.getCurrentValue().toStringUtf8());

        // Wrong expected value: fails.
        CompareAndSwapResponse wrong = casBoth(session, grpc, address, callId, s, u, true, "nope", "x");
        assertFalse(wrong.getSucceeded());
        assertEquals("v1", wrong.getCurrentValue().toStringUtf8());

        // Right expected value: swaps.
        CompareAndSwapResponse swapped = casBoth(session, grpc, address, callId, s, u, true, "v1", "v2");
        assertTrue(swapped.getSucceeded());
        assertEquals("v2", swapped.getCurrentValue().toStringUtf8());
        assertTrue(swapped.getRevision() > created.getRevision());

        GetResponse afterSwap = getBoth(session, grpc, address, callId, s, u);
        assertTrue(afterSwap.getFound());
        assertEquals("v2", afterSwap.getValue().toStringUtf8());
        assertEquals(swapped.getRevision(), afterSwap.getRevision(), "the value's revision is the swap's");

        DeleteResponse deleted = deleteBoth(session, grpc, address, callId, s, u);
        assertTrue(deleted.getDeleted(), "a present key is deleted");
        assertTrue(deleted.getRevision() > 0);
        DeleteResponse again = deleteBoth(session, grpc, address, callId, s, u);
        assertFalse(again.getDeleted(), "an absent key is not found");

        // Expected present, but absent: fails, nothing current.
        CompareAndSwapResponse gone = casBoth(session, grpc, address, callId, s, u, true, "v2", "v3");
        assertFalse(gone.getSucceeded());
        assertFalse(gone.getCurrentPresent());
        assertTrue(gone.getCurrentValue().isEmpty());

        assertFalse(getBoth(session, grpc, address, callId, s, u).getFound());
        assertEquals(GrpcStatus.OK, await(session.finish()).status());
        session.assertEveryCallAnsweredOnce();
      } finally {
        await(grpc.close());
      }
    }
  }

  @Test
  void aRetriedRequestIdAppliesOnceAndAStaleOneIsRefused() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      try (SessionClient session = SessionClient.open(cluster, leader)) {
        long first = revision(await(session.call(putWithId(1, "once", "1", "session-client", 5))));
        assertTrue(first > 0);
        assertEquals(first, revision(await(session.call(putWithId(2, "once", "1", "session-client", 5)))),
            "a retry is answered with the first write's revision");

        await(cluster.client(leader).put("once", "2"));
        assertEquals(first, revision(await(session.call(putWithId(3, "once", "1", "session-client", 5)))));
        SessionAnswer now = await(session.call(get(4, "once", Consistency.LINEARIZABLE)));
        assertEquals("2", now.getGet().getValue().toStringUtf8(), "the retry did not apply again");

        // Two copies of one write in flight together: it applies once, both get its revision.
        List<SessionAnswer> twice = await(session.pipeline(List.of(
            putWithId(5, "twice", "6", "session-client", 6), putWithId(6, "twice", "6", "session-client", 6)), 2));
        assertEquals(revision(twice.get(0)), revision(twice.get(1)), "the same write answered twice");
        await(cluster.client(leader).put("twice", "7"));
        assertEquals(revision(twice.get(0)), revision(await(session.call(
            putWithId(7, "twice", "6", "session-client", 6)))));
        assertEquals("7", await(cluster.client(leader).get("twice", Consistency.LINEARIZABLE)).getValue().toStringUtf8());

        // The client has every answer below 7 and says so; a copy of 5 arriving then is refused as the unary call
        // refuses it, and the session goes on.
        SessionAnswer seven = await(session.call(SessionCall.newBuilder().setCallId(70).setPut(PutRequest.newBuilder()
            .setKey(utf8("seven")).setValue(utf8("7")).setRequestId(RequestId.newBuilder()
                .setClientId("session-client").setSequence(7).setFirstIncomplete(7))).build()));
        assertTrue(seven.hasPut(), seven.toString());
        SessionAnswer stale = await(session.call(putWithId(8, "once", "0", "session-client", 5)));
        assertEquals(8, stale.getCallId());
        assertTrue(stale.hasError(), stale.toString());
        assertEquals(FAILED_PRECONDITION, stale.getError().getCode());
        assertTrue(stale.getError().getMessage().contains("stale sequence"), stale.getError().getMessage());
        RemoteCallException unary = TestCluster.remoteFailure(cluster.client(leader).put("once", "0", "session-client", 4));
        assertEquals(GrpcStatus.FAILED_PRECONDITION, unary.status());
        assertEquals(unary.status().code, stale.getError().getCode());
        assertEquals("2", await(session.call(get(9, "once", Consistency.LINEARIZABLE))).getGet().getValue()
            .toStringUtf8(), "a stale write changes nothing");

        assertEquals(GrpcStatus.OK, await(session.finish()).status());
        session.assertEveryCallAnsweredOnce();
      }
    }
  }

  @Test
  void aMessageThatIsNoSessionRequestEndsTheSessionAndTheNodeKeepsServing() throws Exception {
    Map<String, byte[]> garbage = new java.util.LinkedHashMap<>();
    byte ff = (byte) 0xff;
    garbage.put("not protobuf", new byte[] {ff, ff, ff});
    garbage.put("a length past the end", new byte[] {0x0a, ff, ff, ff, ff, 0x0f});
    garbage.put("truncated", new byte[] {0x0a, 0x05, 0x08});
    garbage.put("a malformed call inside", new byte[] {0x0a, 0x03, ff, ff, ff});
    garbage.put("a malformed put inside a call", new byte[] {0x0a, 0x05, 0x12, 0x03, ff, ff, ff});
    garbage.put("a call id with a varint too long",
        new byte[] {0x0a, 0x0c, 0x08, ff, ff, ff, ff, ff, ff, ff, ff, ff, ff, 0x01});
    garbage.put("a good call, then garbage", new byte[] {0x0a, 0x02, 0x08, 0x07, ff, ff});
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      StatusResponse before = cluster.client(leader).status();
      long callId = 0;
      for (long node : List.of(leader, follower)) {
        for (Map.Entry<String, byte[]> input : garbage.entrySet()) {
          try (SessionClient session = SessionClient.open(cluster, node)) {
            // A working session first, then the bad message; the client does not end its side.
            SessionAnswer read = await(session.call(get(++callId, "absent", Consistency.STALE)));
            assertTrue(read.hasGet() && !read.getGet().getFound(), read.toString());
            await(session.writeRaw(input.getValue()));
            SessionClient.Ended ended = await(session.ended());
            assertEquals(GrpcStatus.INVALID_ARGUMENT, ended.status(), input.getKey() + " on node " + node + ": " + ended);
            session.assertEveryCallAnsweredOnce();
          }
        }
        try (SessionClient session = SessionClient.open(cluster, node)) {
          await(session.call(get(++callId, "absent", Consistency.STALE)));
          Future<Void> write = session.writeRaw(new byte[(16 << 20) + 1]);
          assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, await(session.ended()).status(), "over the size limit");
          // Closing the connection while the message is still going out would log the dropped data as an error.
          await(write.otherwise((Void) null));
        }
        try (SessionClient session = SessionClient.open(cluster, node).callsPerMessage(KV_SESSION_BOUND + 1)) {
          List<SessionCall> calls = new ArrayList<>();
          for (int i = 0; i <= KV_SESSION_BOUND; i++) calls.add(put(++callId, "too-many-" + i, "v"));
          session.pipeline(calls, calls.size());
          assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, await(session.ended()).status(), "more calls than the bound");
        }
      }
      StatusResponse after = cluster.client(leader).status();
      assertEquals(before.getTerm(), after.getTerm(), "term unchanged");
      assertEquals(before.getLastLogIndex(), after.getLastLogIndex(), "nothing was written");

      for (long node : cluster.ids()) {
        try (SessionClient session = SessionClient.open(cluster, node)) {
          SessionAnswer put = await(session.call(put(1, "after-garbage-" + node, "ok")));
          assertTrue(put.hasPut() && put.getPut().getRevision() > 0, "node " + node + " keeps serving: " + put);
          assertEquals(GrpcStatus.OK, await(session.finish()).status());
        }
        assertTrue(await(cluster.client(node).put("after-garbage-unary-" + node, "ok")).getRevision() > 0);
      }
    }
  }

  /**
   * Sends {@code count} Puts of keys {@code prefix + i} at most {@code window} at a time and checks the answers.
   * Returns the keys and values written.
   */
  private static Map<String, String> putsAndCheckAnswers(SessionClient session, String prefix, int count, int window) {
    List<SessionCall> calls = putCalls(prefix, count);
    checkPutAnswers(calls, await(session.pipeline(calls, window)));
    Map<String, String> written = new TreeMap<>();
    for (SessionCall call : calls) {
      written.put(call.getPut().getKey().toStringUtf8(), call.getPut().getValue().toStringUtf8());
    }
    return written;
  }

  private static List<SessionCall> putCalls(String prefix, int count) {
    List<SessionCall> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // Call ids need not be small or dense; these are neither.
      calls.add(put(7L * i + 1_000_000_007L, prefix + i, "value-" + i));
    }
    return calls;
  }

  /** Each answer is a Put answer with its call's id and a revision above 0; the revisions are all distinct. */
  private static void checkPutAnswers(List<SessionCall> calls, List<SessionAnswer> answers) {
    assertEquals(calls.size(), answers.size());
    Set<Long> revisions = new HashSet<>();
    for (int i = 0; i < calls.size(); i++) {
      SessionAnswer answer = answers.get(i);
      assertEquals(calls.get(i).getCallId(), answer.getCallId());
      assertTrue(answer.hasPut(), "call " + i + " answered " + answer);
      assertTrue(answer.getPut().getRevision() > 0, "a write reports the log index it applied at");
      assertTrue(revisions.add(answer.getPut().getRevision()), "revision " + answer.getPut().getRevision() + " twice");
    }
  }

  private static void assertReadsOnSession(SessionClient session, Map<String, String> expected, Consistency consistency) {
    List<String> keys = new ArrayList<>(expected.keySet());
    List<SessionCall> calls = new ArrayList<>();
    long base = await(session.nextFreeCallId());
    for (int i = 0; i < keys.size(); i++) calls.add(get(base + i, keys.get(i), consistency));
    List<SessionAnswer> answers = await(session.pipeline(calls, 128));
    for (int i = 0; i < keys.size(); i++) {
      SessionAnswer answer = answers.get(i);
      assertTrue(answer.hasGet(), keys.get(i) + ": " + answer);
      assertTrue(answer.getGet().getFound(), consistency + " read lacks " + keys.get(i));
      assertEquals(expected.get(keys.get(i)), answer.getGet().getValue().toStringUtf8());
      assertTrue(answer.getGet().getRevision() > 0);
    }
  }

  private static CompareAndSwapResponse casBoth(SessionClient session, GrpcClient grpc, SocketAddress address,
      long[] callId, String sessionKey, String unaryKey, boolean expectPresent, String expected, String newValue) {
    CompareAndSwapRequest.Builder request = CompareAndSwapRequest.newBuilder().setExpectPresent(expectPresent)
        .setExpected(utf8(expected)).setNewValue(utf8(newValue));
    SessionAnswer viaSession = await(session.call(SessionCall.newBuilder().setCallId(++callId[0])
        .setCompareAndSwap(request.clone().setKey(utf8(sessionKey))).build()));
    assertTrue(viaSession.hasCompareAndSwap(), viaSession.toString());
    CompareAndSwapResponse viaUnary = await(GrpcCalls.unary(grpc, address, KvServiceGrpcClient.CompareAndSwap,
        request.clone().setKey(utf8(unaryKey)).build(), 15_000));
    CompareAndSwapResponse answer = viaSession.getCompareAndSwap();
    assertTrue(answer.getRevision() > 0 && viaUnary.getRevision() > 0);
    assertEquals(viaUnary.toBuilder().clearRevision().build(), answer.toBuilder().clearRevision().build(),
        "session and unary CompareAndSwap answer alike");
    return answer;
  }

  private static DeleteResponse deleteBoth(SessionClient session, GrpcClient grpc, SocketAddress address,
      long[] callId, String sessionKey, String unaryKey) {
    SessionAnswer viaSession = await(session.call(SessionCall.newBuilder().setCallId(++callId[0])
        .setDelete(DeleteRequest.newBuilder().setKey(utf8(sessionKey))).build()));
    assertTrue(viaSession.hasDelete(), viaSession.toString());
    DeleteResponse viaUnary = await(GrpcCalls.unary(grpc, address, KvServiceGrpcClient.Delete,
        DeleteRequest.newBuilder().setKey(utf8(unaryKey)).build(), 15_000));
    DeleteResponse answer = viaSession.getDelete();
    assertTrue(answer.getRevision() > 0 && viaUnary.getRevision() > 0);
    assertEquals(viaUnary.toBuilder().clearRevision().build(), answer.toBuilder().clearRevision().build(),
        "session and unary Delete answer alike");
    return answer;
  }

  private static GetResponse getBoth(SessionClient session, GrpcClient grpc, SocketAddress address,
      long[] callId, String sessionKey, String unaryKey) {
    SessionAnswer viaSession = await(session.call(get(++callId[0], sessionKey, Consistency.LINEARIZABLE)));
    assertTrue(viaSession.hasGet(), viaSession.toString());
    GetResponse viaUnary = await(GrpcCalls.unary(grpc, address, KvServiceGrpcClient.Get,
        GetRequest.newBuilder().setKey(utf8(unaryKey)).setConsistency(Consistency.LINEARIZABLE).build(), 15_000));
    GetResponse answer = viaSession.getGet();
    assertEquals(viaUnary.toBuilder().clearRevision().build(), answer.toBuilder().clearRevision().build(),
        "session and unary Get answer alike");
    return answer;
  }

  private static long revision(SessionAnswer answer) {
    assertTrue(answer.hasPut(), answer.toString());
    return answer.getPut().getRevision();
  }

  private static SessionCall put(long callId, String key, String value) {
    return SessionCall.newBuilder().setCallId(callId)
        .setPut(PutRequest.newBuilder().setKey(utf8(key)).setValue(utf8(value))).build();
  }

  private static SessionCall putWithId(long callId, String key, String value, String clientId, long sequence) {
    return SessionCall.newBuilder().setCallId(callId).setPut(PutRequest.newBuilder().setKey(utf8(key))
        .setValue(utf8(value)).setRequestId(RequestId.newBuilder().setClientId(clientId).setSequence(sequence))).build();
  }

  private static SessionCall get(long callId, String key, Consistency consistency) {
    return SessionCall.newBuilder().setCallId(callId)
        .setGet(GetRequest.newBuilder().setKey(utf8(key)).setConsistency(consistency)).build();
  }
}
