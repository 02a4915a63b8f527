package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.NodeConfig;
import io.raftnode.proto.Consistency;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key and value limits come from the config: every key and value up to them is written, anything larger is
 * INVALID_ARGUMENT and writes nothing, on the leader and through a follower's forwarding alike.
 */
@Timeout(120)
class SizeLimitsTest {
  @TempDir Path dataDirs;

  @Test
  void valuesAndKeysUpToTheConfiguredLimitsWorkAndLargerOnesAreRefusedAndChangeNothing() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withLimits(new NodeConfig.Limits(16, 2000))) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      String atLimit = "v".repeat(2000);
      assertTrue(await(cluster.client(leader).put("k".repeat(16), atLimit)).getRevision() > 0);
      assertEquals(atLimit, await(cluster.client(leader).get("k".repeat(16), Consistency.LINEARIZABLE))
          .getValue().toStringUtf8());
      long lastIndex = cluster.client(leader).status().getLastLogIndex();
      for (long node : new long[] {leader, follower}) {
        assertEquals(GrpcStatus.INVALID_ARGUMENT,
            TestCluster.remoteFailure(cluster.client(node).put("big", "v".repeat(2001))).status(), "value, node " + node);
        assertEquals(GrpcStatus.INVALID_ARGUMENT,
            TestCluster.remoteFailure(cluster.client(node).put("k".repeat(17), "v")).status(), "key, node " + node);
      }
      assertEquals(lastIndex, cluster.client(leader).status().getLastLogIndex(), "nothing reached the log");
      assertFalse(await(cluster.client(leader).get("big", Consistency.LINEARIZABLE)).getFound());
    }
  }
}
