package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AdminService.TransferLeadership, follower reads and exactly-once writes over real gRPC. */
@Timeout(180)
class LeadershipAndReadsTest {

  @TempDir
  Path dataDirs;

  @Test
  void transfersLeadershipToEachNodeThroughAnyNode() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      cluster.awaitLeader();
      for (long target = 1; target <= 3; target++) {
        long asked = target % 3 + 1; // a follower, or the leader, depending on who leads now
        long elected = await(cluster.client(asked).transferLeadership(target)).getNewLeaderId();
        assertEquals(target, elected);
        assertEquals(target, cluster.awaitLeader());
        assertTrue(await(cluster.client(asked).put("after-" + target, "v")).getRevision() > 0);
      }
      long leader = cluster.awaitLeader();
      long picked = await(cluster.client(leader).transferLeadership(0)).getNewLeaderId();
      assertNotEquals(leader, picked, "target 0 picks another voter");
    }
  }

  @Test
  void transferToAStoppedNodeFailsAndTheLeaderStays() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long target = leader == 1 ? 2 : 1;
      cluster.stop(target);
      RemoteCallException failed = TestCluster.remoteFailure(cluster.client(leader).transferLeadership(target));
      assertEquals(GrpcStatus.ABORTED, failed.status(), failed.getMessage());
      assertTrue(failed.statusMessage().contains("remains leader"), failed.statusMessage());
      assertEquals(leader, cluster.awaitLeader());
      assertTrue(await(cluster.client(leader).put("still", "writable")).getRevision() > 0);
    }
  }

  @Test
  void followersServeLinearizableReadsOfEveryAcknowledgedWrite() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      for (int i = 0; i < 50; i++) {
        await(cluster.client(leader).put("k" + i, "v" + i));
        List<Future<GetResponse>> reads = new ArrayList<>();
        for (long id : cluster.ids()) {
          reads.add(cluster.client(id).get("k" + i, Consistency.LINEARIZABLE));
          reads.add(cluster.client(id).get("k" + i, Consistency.LEASE));
        }
        await(Future.all(reads));
        for (Future<GetResponse> read : reads) {
          assertTrue(read.result().getFound(), "k" + i);
          assertEquals("v" + i, read.result().getValue().toStringUtf8());
        }
      }
    }
  }

  @Test
  void aRetriedWriteAppliesOnceAcrossALeaderChange() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long first = await(cluster.client(leader).put("once", "1", "client-a", 1)).getRevision();
      await(cluster.client(leader).put("once", "2"));
      long next = leader % 3 + 1;
      assertEquals(next, await(cluster.client(leader).transferLeadership(next)).getNewLeaderId());

      long retried = await(cluster.client(next).put("once", "1", "client-a", 1)).getRevision();
      assertEquals(first, retried, "the retry is answered with the first write's revision");
      GetResponse now = await(cluster.client(next).get("once", Consistency.LINEARIZABLE));
      assertEquals("2", now.getValue().toStringUtf8(), "and did not apply again");

      // A lower sequence that never applied (a pipelined write that reached the log late) applies, once.
      long late = await(cluster.client(next).put("late", "0", "client-a", 0)).getRevision();
      assertTrue(late > first, "sequence 0 applied after sequence 1");
      assertEquals(late, await(cluster.client(next).put("late", "0", "client-a", 0)).getRevision(),
          "its retry is answered with its first answer");
    }
  }

}
