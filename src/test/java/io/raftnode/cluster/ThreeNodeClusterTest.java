package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.PutResponse;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three nodes in one JVM over real gRPC: election, replication, failover and restart. */
@Timeout(180)
class ThreeNodeClusterTest {

  @TempDir
  Path dataDirs;

  @Test
  void electsOneLeaderReplicatesWritesToEveryNodeAndFailsOver() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();

      Map<String, String> acknowledged = new TreeMap<>();
      writeSpreadOverNodes(cluster, List.of(1L, 2L, 3L), "k", 1000, acknowledged);
      assertEquals(1000, acknowledged.size());
      awaitAllApplied(cluster);
      for (long id : cluster.ids()) {
        assertAllPresent(cluster, id, acknowledged, Consistency.STALE);
      }

      cluster.stop(leader);
      long newLeader = cluster.awaitLeader();
      assertNotEquals(leader, newLeader, "a stopped node cannot lead");

      List<Long> survivors = new ArrayList<>();
      cluster.ids().forEach(id -> {
        if (cluster.isRunning(id)) survivors.add(id);
      });
      writeSpreadOverNodes(cluster, survivors, "after-failover-", 200, acknowledged);
      for (long id : survivors) {
        assertAllPresent(cluster, id, acknowledged, Consistency.LINEARIZABLE);
      }
    }
  }

  @Test
  void restartOnTheSameDataDirsKeepsEveryAcknowledgedWrite() throws Exception {
    Map<String, String> acknowledged = new TreeMap<>();
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      cluster.awaitLeader();
      writeSpreadOverNodes(cluster, List.of(1L, 2L, 3L), "durable-", 300, acknowledged);
      StatusResponse before = cluster.client(1).status();

      for (long id : cluster.ids()) cluster.stop(id);
      cluster.startAll();
      cluster.awaitLeader();

      for (long id : cluster.ids()) {
        assertAllPresent(cluster, id, acknowledged, Consistency.LINEARIZABLE);
      }
      StatusResponse after = cluster.client(1).status();
      assertTrue(after.getTerm() >= before.getTerm(), "the term survives a restart");
      assertTrue(after.getLastLogIndex() >= before.getLastLogIndex(), "the log survives a restart");
    }
  }

  /**
   * Writes {@code count} keys through the given nodes in turn, 32 at a time. A write that fails (a leader change
   * in flight) is retried, as a client would: a Put of the same key and value is idempotent. Every key must end up
   * acknowledged.
   */
  static void writeSpreadOverNodes(TestCluster cluster, List<Long> nodes, String prefix, int count,
      Map<String, String> acknowledged) {
    int inFlight = 32;
    for (int start = 0; start < count; start += inFlight) {
      List<Future<PutResponse>> batch = new ArrayList<>();
      for (int i = start; i < Math.min(count, start + inFlight); i++) {
        batch.add(putWithRetry(cluster, nodes.get(i % nodes.size()), prefix + i, "value-" + i, 5));
      }
      await(Future.all(batch));
      for (int i = 0; i < batch.size(); i++) {
        assertTrue(batch.get(i).result().getRevision() > 0, "a write reports the log index it applied at");
        acknowledged.put(prefix + (start + i), "value-" + (start + i));
      }
    }
  }

  private static Future<PutResponse> putWithRetry(TestCluster cluster, long node, String key, String value, int tries) {
    return cluster.client(node).put(key, value).recover(err -> {
      if (tries <= 1) return Future.failedFuture(err);
      return putWithRetry(cluster, node, key, value, tries - 1);
    });
  }

  private static void awaitAllApplied(TestCluster cluster) {
    long commit = cluster.client(cluster.awaitLeader()).status().getCommitIndex();
    TestCluster.awaitCondition("every node to apply up to " + commit, () -> {
      for (long id : cluster.ids()) {
        StatusResponse status = cluster.client(id).status();
        if (status == null || status.getAppliedIndex() < commit) return false;
      }
      return true;
    });
  }

  static void assertAllPresent(TestCluster cluster, long node, Map<String, String> expected, Consistency consistency) {
    List<String> keys = new ArrayList<>(expected.keySet());
    for (int start = 0; start < keys.size(); start += 64) {
      List<Future<GetResponse>> batch = new ArrayList<>();
      List<String> slice = keys.subList(start, Math.min(keys.size(), start + 64));
      slice.forEach(key -> batch.add(cluster.client(node).get(key, consistency)));
      await(Future.all(batch));
      for (int i = 0; i < slice.size(); i++) {
        GetResponse response = batch.get(i).result();
        String key = slice.get(i);
        assertTrue(response.getFound(), "node " + node + " lacks " + key);
        assertEquals(expected.get(key), response.getValue().toStringUtf8(), "node " + node + " value of " + key);
      }
    }
  }
}
