package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.PutResponse;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication over StreamAppend through a follower restart and a leader change in the middle of a write load:
 * every acknowledged write is on every node at the index it was acknowledged at (nothing lost, nothing applied
 * twice or at another index).
 */
@Timeout(180)
class StreamReplicationTest {

  @TempDir
  Path dataDirs;

  @Test
  void survivesAFollowerRestartAndALeaderChangeMidStream() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      Map<String, Long> revisions = new TreeMap<>();

      writeBatches(cluster, leader, "a-", 0, 600, revisions, () -> {});
      writeBatches(cluster, leader, "b-", 0, 600, revisions, () -> {
        cluster.stop(follower);
        cluster.start(follower);
      });
      writeBatches(cluster, leader, "c-", 0, 400, revisions, () -> cluster.stop(leader));
      long newLeader = cluster.awaitLeader();
      cluster.start(leader);
      writeBatches(cluster, newLeader, "d-", 0, 400, revisions, () -> {});

      for (long id : cluster.ids()) assertAtAcknowledgedRevisions(cluster, id, revisions);
    }
  }

  /**
   * Writes {@code count} keys to {@code node} 32 at a time; {@code midway} runs after half of them. Writes that
   * fail while the cluster changes are retried (a Put of the same key and value is idempotent), and the revision
   * of the attempt that succeeded is what every node must show.
   */
  private static void writeBatches(TestCluster cluster, long node, String prefix, int from, int count,
      Map<String, Long> revisions, Runnable midway) {
    int half = from + count / 2;
    for (int start = from; start < from + count; start += 32) {
      if (start <= half && half < start + 32) midway.run();
      List<String> keys = new ArrayList<>();
      List<Future<PutResponse>> batch = new ArrayList<>();
      for (int i = start; i < Math.min(from + count, start + 32); i++) {
        keys.add(prefix + i);
        batch.add(putAnywhere(cluster, prefix + i, 8));
      }
      await(Future.all(batch));
      for (int i = 0; i < keys.size(); i++) revisions.put(keys.get(i), batch.get(i).result().getRevision());
    }
  }

  /** Tries each running node in turn: a node that was just stopped or lost leadership refuses, another answers. */
  private static Future<PutResponse> putAnywhere(TestCluster cluster, String key, int tries) {
    List<Long> running = new ArrayList<>();
    cluster.ids().forEach(id -> {
      if (cluster.isRunning(id)) running.add(id);
    });
    long node = running.get(tries % running.size());
    return cluster.client(node).put(key, "v-" + key).recover(err -> tries <= 1
        ? Future.failedFuture(err) : putAnywhere(cluster, key, tries - 1));
  }

  private static void assertAtAcknowledgedRevisions(TestCluster cluster, long node, Map<String, Long> revisions) {
    List<String> keys = new ArrayList<>(revisions.keySet());
    for (int start = 0; start < keys.size(); start += 64) {
      List<String> slice = keys.subList(start, Math.min(keys.size(), start + 64));
      List<Future<GetResponse>> reads = new ArrayList<>();
      slice.forEach(k -> reads.add(cluster.client(node).get(k, Consistency.LINEARIZABLE)));
      await(Future.all(reads));
      for (int i = 0; i < slice.size(); i++) {
        GetResponse read = reads.get(i).result();
        String key = slice.get(i);
        assertTrue(read.getFound(), "node " + node + " lacks " + key);
        assertEquals("v-" + key, read.getValue().toStringUtf8());
        assertEquals((long) revisions.get(key), read.getRevision(),
            "node " + node + " holds " + key + " at the index its write was acknowledged at");
      }
    }
  }
}
