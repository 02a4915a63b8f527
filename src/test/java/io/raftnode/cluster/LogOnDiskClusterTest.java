package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.NodeConfig;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes that keep no log entries in memory once they are durable and applied ({@code replication.log_cache_bytes}
 * 0): a follower stopped while the cluster wrote is fed from the leader's disk through the log reader, and nodes
 * restarted from their logs (no snapshot) apply every entry again from disk.
 */
@Timeout(120)
class LogOnDiskClusterTest {
  @TempDir
  Path dataDirs;

  private static final NodeConfig.Replication NO_CACHE = new NodeConfig.Replication(true, 16, 1 << 20, 8, 64L << 20, 0);

  @Test
  void aStoppedFollowerCatchesUpFromTheLeadersDiskAndRestartedNodesApplyFromTheirOwn() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withReplication(NO_CACHE)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      SnapshotClusterTest.write(cluster, leader, "a", 50);
      cluster.stop(follower);
      SnapshotClusterTest.write(cluster, leader, "b", 600); // in batches of 16: many reads for the follower
      cluster.start(follower);
      SnapshotClusterTest.awaitCaughtUp(cluster, leader, follower);
      assertValues(cluster, follower, "a", 50);
      assertValues(cluster, follower, "b", 600);

      for (long id : cluster.ids()) cluster.stop(id);
      cluster.startAll();
      long newLeader = cluster.awaitLeader();
      SnapshotClusterTest.write(cluster, newLeader, "c", 1); // commits every earlier entry in the new term
      for (long id : cluster.ids()) {
        SnapshotClusterTest.awaitCaughtUp(cluster, newLeader, id);
        assertValues(cluster, id, "a", 50);
        assertValues(cluster, id, "b", 600);
      }
    }
  }

  private static void assertValues(TestCluster cluster, long node, String prefix, int count) {
    for (int i = 0; i < count; i += 7) {
      GetResponse r = await(cluster.client(node).get(prefix + i, Consistency.STALE));
      assertTrue(r.getFound(), "node " + node + " lacks " + prefix + i);
      assertEquals(prefix + "-value-" + i, r.getValue().toStringUtf8());
    }
  }
}
