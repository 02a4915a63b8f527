package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.NodeConfig;
import io.raftnode.proto.Consistency;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes real nodes' {@code GET /metrics} and checks that the Raft metrics move with what the cluster does: writes
 * raise the indexes, fsync and apply counts and the bytes sent to each follower; a leadership transfer shows up
 * as a new leader, a higher term and a leader change; snapshots are counted where they are taken, sent and
 * installed.
 */
@Timeout(120)
class MetricsScrapeTest {
  private static final NodeConfig.Snapshots SMALL = new NodeConfig.Snapshots(100, 10, 4096);

  @TempDir
  Path dataDirs;

  @Test
  void metricsMoveWithWritesElectionsAndSnapshots() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withSnapshots(SMALL).withMetrics()) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      MetricsScrape before = scrape(cluster, leader);
      assertTrue(before.contentType().startsWith("text/plain"), before.contentType());
      assertEquals(1, before.get("raftnode_is_leader"));
      assertEquals(1, before.get("raftnode_has_leader"));
      assertEquals(0, scrape(cluster, follower).get("raftnode_is_leader"));
      assertTrue(before.get("raftnode_leader_changes_seen_total") >= 1, "the election was seen");

      write(cluster, leader, "a", 50);
      MetricsScrape afterWrites = scrape(cluster, leader);
      assertTrue(afterWrites.get("raftnode_commit_index") >= before.get("raftnode_commit_index") + 50);
      assertTrue(afterWrites.get("raftnode_applied_index") >= before.get("raftnode_applied_index") + 50);
      assertTrue(afterWrites.get("raftnode_proposals_applied_total") >= before.get("raftnode_proposals_applied_total") + 50);
      assertTrue(afterWrites.get("raftnode_wal_fsync_duration_seconds_count") > before.get("raftnode_wal_fsync_duration_seconds_count"));
      assertTrue(afterWrites.get("raftnode_apply_duration_seconds_count") > before.get("raftnode_apply_duration_seconds_count"));
      assertEquals(0, afterWrites.get("raftnode_proposals_pending"));
      for (long peer : List.of(follower, 6 - leader - follower)) {
        assertTrue(afterWrites.peer("raftnode_peer_sent_bytes_total", peer) > before.peer("raftnode_peer_sent_bytes_total", peer));
        assertTrue(afterWrites.peer("raftnode_peer_received_bytes_total", peer) > 0);
        assertTrue(afterWrites.peer("raftnode_peer_round_trip_time_seconds_count", peer) > 0);
      }
      awaitMetric(cluster, leader, "follower " + follower + " has no lag", s ->
          s.peer("raftnode_follower_lag_entries", follower) == 0
              && s.peer("raftnode_follower_match_index", follower) == s.get("raftnode_last_log_index"));
      MetricsScrape followerView = scrape(cluster, follower);
      assertTrue(followerView.peer("raftnode_peer_received_bytes_total", leader) > 0, "the follower counts the leader's appends");
      assertTrue(Double.isNaN(followerView.peer("raftnode_follower_lag_entries", leader)), "only a leader knows lags");

      await(cluster.client(follower).get("a0", Consistency.LINEARIZABLE));
      await(cluster.client(leader).get("a0", Consistency.LEASE));
      assertEquals(followerView.get("raftnode_read_index_requests_total") + 1,
          scrape(cluster, follower).get("raftnode_read_index_requests_total"));
      assertEquals(afterWrites.get("raftnode_lease_reads_total") + 1, scrape(cluster, leader).get("raftnode_lease_reads_total"));

      double changesSeen = followerView.get("raftnode_leader_changes_seen_total");
      long newLeader = await(cluster.client(leader).transferLeadership(follower)).getNewLeaderId();
      assertEquals(follower, newLeader);
      MetricsScrape afterTransfer = scrape(cluster, follower);
      assertEquals(1, afterTransfer.get("raftnode_is_leader"));
      assertTrue(afterTransfer.get("raftnode_term") > afterWrites.get("raftnode_term"));
      assertEquals(changesSeen + 1, afterTransfer.get("raftnode_leader_changes_seen_total"));
      awaitMetric(cluster, leader, "the old leader follows", s -> s.get("raftnode_is_leader") == 0);

      long lagging = 6 - leader - follower;
      cluster.stop(lagging);
      write(cluster, follower, "b", 250);
      // A snapshot is taken after the entries apply, off the event loop: wait for it rather than race it.
      awaitMetric(cluster, follower, "node " + follower + " takes a snapshot", s ->
          s.get("raftnode_snapshots_taken_total") >= 1 && s.get("raftnode_snapshot_index") > 0
              && s.get("raftnode_snapshot_size_bytes") > 0 && s.get("raftnode_snapshot_save_duration_seconds_count") >= 1);
      cluster.start(lagging);
      awaitMetric(cluster, lagging, "node " + lagging + " installs a snapshot",
          s -> s.get("raftnode_snapshots_installed_total") == 1 && s.get("raftnode_snapshot_install_duration_seconds_count") == 1);
      awaitMetric(cluster, follower, "the leader counts the snapshot it sent", s -> s.get("raftnode_snapshots_sent_total") >= 1);
    }
  }

  private static MetricsScrape scrape(TestCluster cluster, long id) throws Exception {
    return MetricsScrape.of(cluster.config(id).operations().metricsAddress());
  }

  private interface Check {
    boolean holds(MetricsScrape scrape) throws Exception;
  }

  private static void awaitMetric(TestCluster cluster, long id, String what, Check check) {
    TestCluster.awaitCondition(what, () -> {
      try {
        return check.holds(scrape(cluster, id));
      } catch (Exception | AssertionError e) {
        return false;
      }
    });
  }

  private static void write(TestCluster cluster, long leader, String prefix, int count) {
    List<Future<?>> writes = new ArrayList<>();
    for (int i = 0; i < count; i++) writes.add(cluster.client(leader).put(prefix + i, "v" + i));
    writes.forEach(TestCluster::await);
  }
}
