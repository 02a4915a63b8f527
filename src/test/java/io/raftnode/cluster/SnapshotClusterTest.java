package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.NodeConfig;
import io.raftnode.internal.storage.DataDir;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots across real nodes: a machine that lost its disk and came back under a new id, and a follower that was
 * stopped while the leader compacted, catch up by snapshot (then by log); a node restarted after snapshot + purge
 * comes back with the same state. Small thresholds and chunks make every path run with a few hundred keys.
 */
@Timeout(120)
class SnapshotClusterTest {
  private static final NodeConfig.Snapshots SMALL = new NodeConfig.Snapshots(200, 20, 4096);

  @TempDir
  Path dataDirs;

  /**
   * The operator's remedy for a lost disk (README): the old id is removed, and the machine starts empty under a
   * new id and is added as a learner. It holds nothing, so it gets a snapshot.
   */
  static long replaceWithEmptyNode(TestCluster cluster, long leader, long lost) throws Exception {
    await(cluster.client(leader).removeMember(lost, 0));
    long replacement = cluster.addEmptyNode();
    cluster.start(replacement);
    await(cluster.client(leader).addLearner(replacement, cluster.config(replacement), 0));
    return replacement;
  }

  @Test
  void aMachineThatLostItsDiskComesBackUnderANewIdAndCatchesUpBySnapshot() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withSnapshots(SMALL)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long lost = leader % 3 + 1;
      write(cluster, leader, "a", 500);
      cluster.stop(lost);
      cluster.wipe(lost);
      write(cluster, leader, "b", 300);
      assertTrue(status(cluster, leader).getSnapshotIndex() > 0, "the leader compacted");
      long follower = replaceWithEmptyNode(cluster, leader, lost);
      awaitCaughtUp(cluster, leader, follower);
      TestCluster.awaitCondition("node " + follower + " installs a snapshot",
          () -> status(cluster, follower).getSnapshotIndex() > 0);
      assertSameKeys(cluster, follower, "a", 500);
      assertSameKeys(cluster, follower, "b", 300);
    }
  }

  /** Entries are never the trigger here: 32 KiB values take every node past the 1 MiB byte threshold. */
  @Test
  void largeValuesTriggerASnapshotByBytesAndTheTailKeptIsBoundedInBytes() throws Exception {
    NodeConfig.Snapshots byBytes = new NodeConfig.Snapshots(1_000_000_000L, 1_000_000_000L, 4096, 1 << 20, 128 << 10);
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withSnapshots(byBytes)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      String value = "v".repeat(32 << 10);
      for (int i = 0; i < 40; i++) await(cluster.client(leader).put("big" + i, value + i));
      for (long id = 1; id <= 3; id++) {
        long node = id;
        TestCluster.awaitCondition("node " + node + " snapshots by bytes",
            () -> status(cluster, node).getSnapshotIndex() > 0);
      }
      long follower = leader % 3 + 1;
      cluster.stop(follower);
      for (int i = 40; i < 80; i++) await(cluster.client(leader).put("big" + i, value + i));
      cluster.start(follower);
      awaitCaughtUp(cluster, leader, follower);
      assertEquals(value + 79, await(cluster.client(follower).get("big79", Consistency.STALE)).getValue().toStringUtf8());
      long snapshot = status(cluster, leader).getSnapshotIndex();
      cluster.stop(leader);
      try (DataDir dir = DataDir.open(cluster.config(leader).dataDir())) {
        long kept = snapshot - dir.logStore().firstIndex() + 1;
        assertTrue(snapshot > 40 && kept >= 0 && kept <= 4,
            "128 KiB of 32 KiB values, at most four entries, kept below snapshot " + snapshot + ": " + kept);
      }
    }
  }

  @Test
  void aStoppedFollowerBehindACompactedLeaderCatchesUpBySnapshotThenByLog() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withSnapshots(SMALL)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      write(cluster, leader, "a", 100);
      cluster.stop(follower);
      write(cluster, leader, "b", 400);
      long compactedTo = await(cluster.client(leader).takeSnapshot());
      assertTrue(compactedTo > 100);
      cluster.start(follower);
      awaitCaughtUp(cluster, leader, follower);
      write(cluster, leader, "c", 50); // after the snapshot: these travel as log entries
      awaitCaughtUp(cluster, leader, follower);
      TestCluster.awaitCondition("node " + follower + " installs the leader's snapshot",
          () -> status(cluster, follower).getSnapshotIndex() >= compactedTo);
      assertSameKeys(cluster, follower, "a", 100);
      assertSameKeys(cluster, follower, "b", 400);
      assertSameKeys(cluster, follower, "c", 50);
    }
  }

  @Test
  void aRestartAfterSnapshotAndPurgeRestoresTheSameState() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withSnapshots(SMALL)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      write(cluster, leader, "a", 450);
      for (long id : cluster.ids()) await(cluster.client(id).takeSnapshot());
      write(cluster, leader, "b", 30);
      for (long id : cluster.ids()) cluster.stop(id);
      for (long id : cluster.ids()) {
        try (Stream<Path> snaps = Files.list(cluster.config(id).dataDir().resolve("snapshots"))) {
          assertTrue(snaps.anyMatch(p -> p.toString().endsWith(".snap")), "node " + id + " has a snapshot file");
        }
      }
      cluster.startAll();
      long newLeader = cluster.awaitLeader();
      // A committed write of the new term: the leader's commit index then covers every earlier entry, which a
      // node restored from an older snapshot applies again from its log.
      write(cluster, newLeader, "c", 1);
      for (long id : cluster.ids()) {
        awaitCaughtUp(cluster, newLeader, id);
        assertSameKeys(cluster, id, "a", 450);
        assertSameKeys(cluster, id, "b", 30);
      }
    }
  }

  /**
   * A node added empty gets everything in one snapshot and no later entries (the cluster is idle): its
   * linearizable reads are served at the snapshot's index without waiting for a write that never comes.
   */
  @Test
  void anIdleFollowerServesLinearizableReadsRightAfterInstallingASnapshot() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withSnapshots(SMALL)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long lost = leader % 3 + 1;
      write(cluster, leader, "a", 300);
      cluster.stop(lost);
      cluster.wipe(lost);
      write(cluster, leader, "b", 50);
      await(cluster.client(leader).removeMember(lost, 0));
      long snapshotIndex = await(cluster.client(leader).takeSnapshot());
      assertEquals(status(cluster, leader).getCommitIndex(), snapshotIndex, "the snapshot covers every write");
      long follower = cluster.addEmptyNode();
      cluster.start(follower);
      await(cluster.client(leader).addLearner(follower, cluster.config(follower), 0));
      TestCluster.awaitCondition("node " + follower + " installs the leader's snapshot",
          () -> status(cluster, follower).getSnapshotIndex() >= snapshotIndex);
      assertLinearizableReadsServed(cluster, follower, "a", 300);
    }
  }

  /** The same for a node restarted from a snapshot that covers everything it holds. */
  @Test
  void anIdleFollowerServesLinearizableReadsRightAfterARestartFromItsSnapshot() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withSnapshots(SMALL)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      write(cluster, leader, "a", 300);
      awaitCaughtUp(cluster, leader, follower);
      long snapshotIndex = await(cluster.client(follower).takeSnapshot());
      assertEquals(status(cluster, leader).getCommitIndex(), snapshotIndex, "the snapshot covers every write");
      cluster.stop(follower);
      cluster.start(follower);
      assertLinearizableReadsServed(cluster, follower, "a", 300);
    }
  }

  /**
   * Linearizable reads on {@code node} answer while nothing is written. Each gets a deadline of a few seconds; a
   * read that waited for the next write would run into it.
   */
  private static void assertLinearizableReadsServed(TestCluster cluster, long node, String prefix, int count) {
    TestCluster.awaitCondition("node " + node + " serves a linearizable read", () -> {
      try {
        return await(cluster.client(node).get(prefix + 0, Consistency.LINEARIZABLE, 4000)).getFound();
      } catch (AssertionError e) {
        return false;
      }
    });
    for (int i = 0; i < count; i += 29) {
      GetResponse r = await(cluster.client(node).get(prefix + i, Consistency.LINEARIZABLE, 4000));
      assertEquals(prefix + "-value-" + i, r.getValue().toStringUtf8());
    }
  }

  /**
   * Writes {@code count} keys through {@code node}, fifty at a time. A batch with a failed put goes again in full
   * through whichever node leads by then: on a loaded machine a leader can lose its term under a test, and these
   * puts of fixed values may apply twice without changing what the tests check.
   */
  static void write(TestCluster cluster, long node, String prefix, int count) {
    for (int from = 0; from < count; from += 50) {
      long target = node;
      for (int attempt = 1; ; attempt++) {
        List<Future<?>> batch = new ArrayList<>();
        for (int i = from; i < Math.min(count, from + 50); i++) {
          batch.add(cluster.client(target).put(prefix + i, prefix + "-value-" + i));
        }
        try {
          await(Future.all(batch));
          break;
        } catch (AssertionError e) {
          if (attempt == 3) throw e;
          target = cluster.awaitLeader();
        }
      }
    }
  }

  private static StatusResponse status(TestCluster cluster, long id) {
    StatusResponse s = cluster.client(id).status();
    if (s == null) throw new AssertionError("node " + id + " does not answer");
    return s;
  }

  static void awaitCaughtUp(TestCluster cluster, long leader, long follower) {
    long target = status(cluster, leader).getCommitIndex();
    TestCluster.awaitCondition("node " + follower + " applies up to " + target, () -> {
      StatusResponse s = cluster.client(follower).status();
      return s != null && s.getAppliedIndex() >= target;
    });
  }

  /** Local reads on the node; they are refused while it restores a snapshot, so the first is retried. */
  private static void assertSameKeys(TestCluster cluster, long node, String prefix, int count) {
    TestCluster.awaitCondition("node " + node + " answers reads", () -> {
      try {
        await(cluster.client(node).get(prefix + 0, Consistency.STALE));
        return true;
      } catch (AssertionError e) {
        return false;
      }
    });
    for (int i = 0; i < count; i += 7) {
      GetResponse r = await(cluster.client(node).get(prefix + i, Consistency.STALE));
      assertTrue(r.getFound(), "node " + node + " lacks " + prefix + i);
      assertEquals(prefix + "-value-" + i, r.getValue().toStringUtf8());
    }
  }
}
