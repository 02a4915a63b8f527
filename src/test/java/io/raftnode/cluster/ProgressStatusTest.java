package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.NodeConfig;
import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.StatusResponse;
import io.raftnode.proto.WorkProgress;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Status shows a snapshot transfer under way on both ends: 1 KiB chunks make a 12 MB snapshot take thousands of
 * messages, long enough to see it part done. The assertions are on what Status says, never on how long it took.
 */
@Timeout(120)
class ProgressStatusTest {
  @TempDir
  Path dataDirs;

  @Test
  void statusShowsASnapshotBeingSentOnTheLeaderAndInstalledOnTheFollower() throws Exception {
    NodeConfig.Snapshots slowChunks = new NodeConfig.Snapshots(1_000_000, 0, 1024);
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withSnapshots(slowChunks)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      cluster.stop(follower);
      String value = "p".repeat(32 << 10);
      for (int from = 0; from < 400; from += 20) {
        List<Future<?>> batch = new ArrayList<>();
        for (int i = from; i < from + 20; i++) batch.add(cluster.client(leader).put("k" + i, value + i));
        await(Future.all(batch));
      }
      await(cluster.client(leader).takeSnapshot());
      cluster.start(follower);

      WorkProgress[] sending = new WorkProgress[1];
      WorkProgress[] receiving = new WorkProgress[1];
      TestCluster.awaitCondition("both ends' Status show the snapshot part done", () -> {
        if (sending[0] == null) sending[0] = partDone(cluster.client(leader).status(), "snapshot-send", follower);
        if (receiving[0] == null) receiving[0] = partDone(cluster.client(follower).status(), "snapshot-install", leader);
        return sending[0] != null && receiving[0] != null;
      });
      assertEquals("bytes", sending[0].getUnit());
      assertTrue(sending[0].getTotal() > 12_000_000, "the whole snapshot: " + sending[0]);
      assertEquals(sending[0].getTotal(), receiving[0].getTotal(), "both count the same data");
      TestCluster.awaitCondition("the follower installs the snapshot",
          () -> cluster.client(follower).status().getSnapshotIndex() > 0);
      TestCluster.awaitCondition("no work left on either node", () -> cluster.client(leader).status().getWorkCount() == 0
          && cluster.client(follower).status().getWorkCount() == 0);
    }
  }

  /** The work of {@code kind} with {@code peer} if Status shows it begun and not finished, else null. */
  private static WorkProgress partDone(StatusResponse s, String kind, long peer) {
    if (s == null) return null;
    WorkProgress w = find(s.getWorkList(), kind, peer).orElse(null);
    if (w == null || w.getDone() == 0 || w.getDone() >= w.getTotal()) return null;
    if (kind.equals("snapshot-send")) {
      MemberStatus member = s.getMembersList().stream().filter(m -> m.getNodeId() == peer).findFirst().orElseThrow();
      assertEquals(w, member.getSnapshotSend(), "the member's row shows the transfer too");
    }
    return w;
  }

  private static Optional<WorkProgress> find(List<WorkProgress> work, String kind, long peer) {
    return work.stream().filter(w -> w.getKind().equals(kind) && w.getPeer() == peer).findFirst();
  }
}
