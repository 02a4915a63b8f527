package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.NodeConfig;
import io.raftnode.internal.kv.KvStateMachine;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.CallError;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.DeleteRequest;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.StatusResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * limits.max_store_bytes: the leader refuses a Put or CompareAndSwap that would take the key-value store past its
 * quota with RESOURCE_EXHAUSTED, raftnode-error not-applied and no retry hint, before anything reaches the log;
 * writes that do not grow the store, deletes and reads still work, and a delete makes room. The same through a
 * follower, which leaves the decision to the leader, and on a session, which goes on reading.
 */
@Timeout(120)
class StoreQuotaTest {
  private static final int VALUE_BYTES = 2000;
  /** Room for four keys of two bytes with {@link #VALUE_BYTES} each, not one byte more. */
  private static final long QUOTA = 4 * KvStateMachine.storeBytesOf(2, VALUE_BYTES);
  private static final NodeConfig.Limits LIMITS = new NodeConfig.Limits(16, VALUE_BYTES + 100).withMaxStoreBytes(QUOTA);
  private static final String FULL = "v".repeat(VALUE_BYTES);

  @TempDir Path dataDirs;

  @Test
  void aWritePastTheQuotaIsRefusedNotAppliedAndChangesNothingUntilADeleteMakesRoom() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 1).withLimits(LIMITS).withMetrics()) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      KvTestClient client = cluster.client(leader);
      fill(client);
      StatusResponse full = client.status();
      assertEquals(QUOTA, full.getKvStoreBytes());
      assertEquals(QUOTA, full.getMaxStoreBytes());
      MetricsScrape metrics = MetricsScrape.of(cluster.config(leader).operations().metricsAddress());
      assertEquals(QUOTA, metrics.get("raftnode_kv_store_bytes"));
      assertEquals(QUOTA, metrics.get("raftnode_kv_store_quota_bytes"));

      assertQuotaRefusal(TestCluster.remoteFailure(client.put("k5", "x")), "a new key");
      assertQuotaRefusal(TestCluster.remoteFailure(client.put("k1", FULL + "x")), "a larger value");
      assertQuotaRefusal(TestCluster.remoteFailure(client.compareAndSwap("k5", null, "x")), "a swap creating a key");
      assertQuotaRefusal(TestCluster.remoteFailure(client.compareAndSwap("k1", FULL, FULL + "x")), "a growing swap");
      assertEquals(full.getLastLogIndex(), client.status().getLastLogIndex(), "nothing reached the log");
      assertFalse(await(client.get("k5", Consistency.LINEARIZABLE)).getFound());
      assertEquals(FULL, await(client.get("k1", Consistency.LINEARIZABLE)).getValue().toStringUtf8());

      // What does not grow the store is admitted, full as it is.
      assertTrue(await(client.put("k1", FULL)).getRevision() > full.getLastLogIndex(), "same size");
      assertTrue(await(client.compareAndSwap("k1", FULL, "small")).getSucceeded(), "smaller");
      assertEquals("small", await(client.get("k1", Consistency.LINEARIZABLE)).getValue().toStringUtf8());
      long room = QUOTA - client.status().getKvStoreBytes();
      assertEquals(KvStateMachine.storeBytesOf(2, VALUE_BYTES) - KvStateMachine.storeBytesOf(2, 5), room);
      String fitting = "f".repeat((int) (room - KvStateMachine.storeBytesOf(2, 0)));
      assertTrue(await(client.put("k5", fitting)).getRevision() > 0, "the room the smaller value left");
      assertEquals(QUOTA, client.status().getKvStoreBytes());
      assertQuotaRefusal(TestCluster.remoteFailure(client.put("k6", "")), "full to the byte");

      assertTrue(await(client.delete("k2")).getDeleted(), "a delete of a full store");
      assertEquals(QUOTA - KvStateMachine.storeBytesOf(2, VALUE_BYTES), client.status().getKvStoreBytes());
      assertTrue(await(client.put("k6", FULL)).getRevision() > 0, "the deleted key's room");
      assertEquals(FULL, await(client.get("k6", Consistency.LINEARIZABLE)).getValue().toStringUtf8());
      assertQuotaRefusal(TestCluster.remoteFailure(client.put("k2", FULL)), "full again");
    }
  }

  @Test
  void aWritePastTheQuotaThroughAFollowerOrASessionGetsTheLeadersRefusal() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withLimits(LIMITS)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      fill(cluster.client(leader));
      long lastIndex = cluster.client(leader).status().getLastLogIndex();

      assertQuotaRefusal(TestCluster.remoteFailure(cluster.client(follower).put("k5", "x")), "through a follower");
      assertQuotaRefusal(TestCluster.remoteFailure(cluster.client(follower).compareAndSwap("k5", null, "x")),
          "a swap through a follower");
      for (long node : new long[] {leader, follower}) {
        try (SessionClient session = SessionClient.open(cluster, node)) {
          SessionAnswer refused = await(session.call(put(1, "k5", "x")));
          assertTrue(refused.hasError(), "node " + node + ": " + refused);
          CallError error = refused.getError();
          assertEquals(GrpcStatus.RESOURCE_EXHAUSTED.code, error.getCode(), "node " + node + ": " + error);
          assertEquals("not-applied", error.getReason());
          assertEquals(0, error.getRetryAfterMs(), "waiting frees nothing");
          assertTrue(error.getMessage().contains("limits.max_store_bytes"), error.getMessage());
          // The session goes on reading: the next calls are served.
          SessionAnswer read = await(session.call(SessionCall.newBuilder().setCallId(2)
              .setGet(io.raftnode.proto.GetRequest.newBuilder().setKey(KvTestClient.utf8("k1"))).build()));
          assertEquals(FULL, read.getGet().getValue().toStringUtf8());
          session.assertEveryCallAnsweredOnce();
        }
      }
      assertEquals(lastIndex, cluster.client(leader).status().getLastLogIndex(), "nothing reached the log");

      try (SessionClient session = SessionClient.open(cluster, follower)) {
        SessionAnswer deleted = await(session.call(SessionCall.newBuilder().setCallId(1)
            .setDelete(DeleteRequest.newBuilder().setKey(KvTestClient.utf8("k3"))).build()));
        assertTrue(deleted.getDelete().getDeleted(), deleted.toString());
        SessionAnswer written = await(session.call(put(2, "k5", FULL)));
        assertTrue(written.hasPut() && written.getPut().getRevision() > lastIndex, written.toString());
      }
      assertFalse(await(cluster.client(follower).get("k3", Consistency.LINEARIZABLE)).getFound());
    }
  }

  /** Four keys of {@link #VALUE_BYTES}: the store is at its quota. */
  private static void fill(KvTestClient client) {
    for (int n = 1; n <= 4; n++) assertTrue(await(client.put("k" + n, FULL)).getRevision() > 0, "k" + n);
  }

  private static void assertQuotaRefusal(RemoteCallException refused, String what) {
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, refused.status(), what + ": " + refused.statusMessage());
    assertEquals("not-applied", refused.metadata("raftnode-error"), what);
    assertNull(refused.metadata("raftnode-retry-after-ms"), what + ": retrying does not help until space is freed");
    assertTrue(refused.statusMessage().contains("limits.max_store_bytes"), what + ": " + refused.statusMessage());
  }

  private static SessionCall put(long callId, String key, String value) {
    return SessionCall.newBuilder().setCallId(callId)
        .setPut(PutRequest.newBuilder().setKey(KvTestClient.utf8(key)).setValue(KvTestClient.utf8(value))).build();
  }
}
