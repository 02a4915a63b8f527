package io.raftnode.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.model.Vote;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compaction, the SNAPSHOT progress state and snapshot installation, on a deterministic cluster of cores. */
class SnapshotCoreTest {

  private static CoreCluster elected(long seed) {
    CoreCluster c = CoreCluster.fresh(3, seed);
    c.awaitLeader(200);
    return c;
  }

  private static void write(CoreCluster c, long leader, int n) {
    for (int i = 0; i < n; i++) c.propose(leader, "v" + i);
    c.tickAll(3);
  }

  private static long sendSnapshots(CoreCluster c, long leader) {
    return c.node(leader).history.stream().filter(a -> a instanceof Action.SendSnapshot).count();
  }

  @Test
  void takingASnapshotPurgesAllButTheTail() {
    CoreCluster c = elected(1);
    long leader = c.stableLeader();
    write(c, leader, 20);
    long applied = c.core(leader).appliedIndex();
    List<Action> before = List.copyOf(c.node(leader).history);
    c.takeSnapshot(leader, 5);
    List<Action> after = c.node(leader).history.subList(before.size(), c.node(leader).history.size());
    Action.PurgeLog purge = (Action.PurgeLog) after.get(0);
    assertEquals(applied - 5, purge.upTo().index());
    assertEquals(applied - 4, c.core(leader).firstLogIndex());
    assertNull(c.core(leader).entryAt(applied - 5));
    assertEquals(applied, c.core(leader).snapshot().lastIndex());
    // Followers that were up to date keep replicating from the log.
    write(c, leader, 5);
    assertEquals(c.core(leader).commitIndex(), c.core(2 == leader ? 3 : 2).commitIndex());
    assertEquals(0, sendSnapshots(c, leader));
  }

  @Test
  void aFollowerBehindTheCompactedLogGetsOneSnapshotThenEntries() {
    CoreCluster c = elected(2);
    long leader = c.stableLeader();
    long lagging = leader == 3 ? 2 : 3;
    c.isolated.add(lagging);
    write(c, leader, 30);
    c.takeSnapshot(leader, 2);
    c.isolated.remove(lagging);
    c.tickAll(10);
    assertEquals(1, sendSnapshots(c, leader), "one transfer, not one per heartbeat");
    assertEquals(1, c.snapshotsInstalled);
    write(c, leader, 5);
    assertEquals(c.core(leader).commitIndex(), c.core(lagging).commitIndex());
    assertEquals(c.core(leader).lastLogId(), c.core(lagging).lastLogId());
    assertEquals(Progress.State.REPLICATE, c.core(leader).progressOf(lagging).state());
    assertEquals(c.core(leader).snapshot().lastIndex() + 1, c.core(lagging).firstLogIndex());
    // The entries after the snapshot reached the follower through the log and were applied there.
    assertEquals(c.core(leader).commitIndex(), c.node(lagging).appliedUpTo);
  }

  @Test
  void aFailedTransferIsRetriedAfterABackoff() {
    CoreCluster c = elected(3);
    long leader = c.stableLeader();
    long lagging = leader == 3 ? 2 : 3;
    c.isolated.add(lagging);
    write(c, leader, 30);
    c.takeSnapshot(leader, 0);
    c.isolated.remove(lagging);
    boolean[] dropped = {false};
    c.drop = m -> {
      if (m instanceof CoreCluster.SnapshotReq && !dropped[0]) {
        dropped[0] = true;
        return true;
      }
      return false;
    };
    c.tickAll(CoreCluster.CONFIG.heartbeatTicks());
    assertEquals(1, sendSnapshots(c, leader), "no resend during the backoff");
    assertFalse(c.core(leader).progressOf(lagging).snapshotInFlight());
    c.tickAll(20);
    assertEquals(2, sendSnapshots(c, leader));
    assertEquals(1, c.snapshotsInstalled);
    assertEquals(c.core(leader).commitIndex(), c.core(lagging).commitIndex());
  }

  @Test
  void aStaleLeadersSnapshotIsRefusedByVote() {
    RaftCore f = new RaftCore(CoreCluster.CONFIG, 2, Vote.of(5, 3, true),
        List.of(CoreCluster.membershipEntry(LogId.of(0, 0, 1), 3)), new java.util.Random(1));
    SnapshotMeta meta = new SnapshotMeta(LogId.of(3, 1, 50),
        new StoredMembership(LogId.of(0, 0, 1), Membership.empty()), "old");
    List<Action> out = f.step(new Event.SnapshotReceived(7, Vote.of(3, 1, true), meta));
    assertEquals(List.of(new Action.ReplySnapshot(7, new io.raftnode.internal.model.SnapshotResponse(Vote.of(5, 3, true)))), out);
    assertEquals(1, f.lastLogId().index());
    assertNull(f.snapshot());
  }

  @Test
  void aFollowerHoldingTheSnapshotsLastEntryKeepsTheEntriesAfterIt() {
    CoreCluster c = elected(4);
    long leader = c.stableLeader();
    long follower = leader == 3 ? 2 : 3;
    write(c, leader, 10);
    LogId last = c.core(leader).lastLogId();
    SnapshotMeta meta = new SnapshotMeta(c.core(leader).entryAt(last.index() - 3).logId(),
        new StoredMembership(null, c.core(leader).membership()), "x");
    RaftCore f = c.core(follower);
    // The follower's commit index may lag the leader's by a heartbeat; a snapshot ahead of it installs.
    List<Action> out = f.step(new Event.SnapshotReceived(99, c.core(leader).vote(), meta));
    boolean installs = meta.lastIndex() > c.node(follower).appliedUpTo;
    assertEquals(installs, out.stream().anyMatch(a -> a instanceof Action.RestoreSnapshot r && r.truncateFrom() == 0));
    assertEquals(last, f.lastLogId());
    assertTrue(out.stream().anyMatch(a -> a instanceof Action.ReplySnapshot));
  }

  @Test
  void aRestartAfterSnapshotAndPurgeResumesFromTheSnapshot() {
    CoreCluster c = elected(5);
    long leader = c.stableLeader();
    write(c, leader, 25);
    long follower = leader == 3 ? 2 : 3;
    c.takeSnapshot(follower, 3);
    long snapIndex = c.node(follower).snapshot.lastIndex();
    c.node(follower).restart();
    assertEquals(snapIndex, c.core(follower).commitIndex());
    // The kept tail stays on disk but a restarted core starts its log after the snapshot.
    assertEquals(snapIndex + 1, c.core(follower).firstLogIndex());
    write(c, leader, 5);
    assertEquals(c.core(leader).commitIndex(), c.node(follower).appliedUpTo);
    assertEquals(c.core(leader).lastLogId(), c.core(follower).lastLogId());
  }
}
