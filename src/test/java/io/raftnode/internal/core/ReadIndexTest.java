package io.raftnode.internal.core;

import static io.raftnode.internal.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Linearizable reads (thesis §6.4) and lease reads (§6.4.1) on the leader. */
class ReadIndexTest {

  private static CoreCluster stable(int size, long seed) {
    CoreCluster c = CoreCluster.fresh(size, seed);
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    c.tickAll(CONFIG.heartbeatTicks() * 2);
    return c;
  }

  @Test
  void concurrentReadsShareOneHeartbeatRoundAndGetTheCommitIndex() {
    CoreCluster c = stable(3, 1);
    long leader = c.stableLeader();
    c.propose(leader, "a");
    long commit = c.core(leader).commitIndex();
    List<Action> actions = c.step(leader, new Event.ReadIndex(List.of(1L, 2L, 3L)));
    assertEquals(2, actions.stream().filter(a -> a instanceof Action.SendAppend).count(), "one heartbeat per peer");
    assertTrue(actions.stream().noneMatch(a -> a instanceof Action.ReadIndexReady), "not before a quorum answers");
    c.deliverAll();
    assertEquals(List.of(new Action.ReadIndexReady(1, commit), new Action.ReadIndexReady(2, commit),
        new Action.ReadIndexReady(3, commit)), c.emitted(leader, Action.ReadIndexReady.class));
  }

  @Test
  void aFollowerOrSingleVoterAnswersAtOnce() {
    CoreCluster c = stable(3, 2);
    long follower = c.stableLeader() == 1 ? 2 : 1;
    assertEquals(List.of(new Action.ReadIndexFailed(4, c.stableLeader())),
        c.step(follower, new Event.ReadIndex(List.of(4L))));

    CoreCluster single = stable(1, 3);
    assertEquals(List.of(new Action.ReadIndexReady(5, single.core(1).commitIndex())),
        single.step(1, new Event.ReadIndex(List.of(5L))));
  }

  @Test
  void newLeaderWaitsForAnEntryOfItsTermBeforeServingReads() {
    CoreCluster c = CoreCluster.fresh(3, 4);
    c.hold = m -> m instanceof CoreCluster.AppendResp;
    long leader = 0;
    while (leader == 0) {
      c.tickAll(1);
      leader = c.nodes.values().stream().filter(n -> n.core.role() == Role.LEADER).mapToLong(n -> n.id).findFirst().orElse(0);
    }
    long blank = c.core(leader).lastLogId().index();
    assertTrue(c.core(leader).commitIndex() < blank);
    c.step(leader, new Event.ReadIndex(List.of(9L)));
    assertTrue(c.emitted(leader, Action.ReadIndexReady.class).isEmpty());
    c.releaseHeld();
    assertEquals(List.of(new Action.ReadIndexReady(9, blank)), c.emitted(leader, Action.ReadIndexReady.class));
  }

  @Test
  void readIndexOnADeposedLeaderNeverReturnsStaleData() {
    for (long seed = 1; seed <= 10; seed++) {
      CoreCluster c = stable(5, seed);
      long old = c.stableLeader();
      long buddy = old == 1 ? 2 : 1;
      // The old leader and one follower end up in the minority; the other three elect a new leader.
      c.drop = m -> (m.from() == old || m.from() == buddy) != (m.to() == old || m.to() == buddy);
      // The old leader's event loop stalls meanwhile (a long GC pause): it still believes it leads.
      long fresh = 0;
      int stalled = 0;
      while (fresh == 0) {
        for (CoreCluster.Sim n : c.nodes.values()) if (n.id != old) c.step(n, Event.Tick.INSTANCE);
        c.deliverAll();
        stalled++;
        fresh = c.nodes.values().stream()
            .filter(n -> n.id != old && n.core.role() == Role.LEADER).mapToLong(n -> n.id).findFirst().orElse(0);
      }
      c.propose(fresh, "newer");
      c.step(old, new Event.Tick(stalled)); // the loop resumes: one late tick that knows how long it was away
      assertEquals(Role.LEADER, c.core(old).role(), "seed " + seed + ": the old leader does not know yet");

      c.step(old, new Event.ReadIndex(List.of(42L)));
      c.step(old, new Event.LeaseRead(43L));
      c.deliverAll();
      c.drop = m -> false;
      c.tickAll(CONFIG.electionTicksMax() * 2);
      assertTrue(c.emitted(old, Action.ReadIndexReady.class).isEmpty(), "seed " + seed + ": a stale read was served");
      assertEquals(2, c.emitted(old, Action.ReadIndexFailed.class).size(), "seed " + seed);
    }
  }

  @Test
  void leaseReadIsServedWithoutARoundTripWhileTheLeaseHolds() {
    CoreCluster c = stable(3, 5);
    long leader = c.stableLeader();
    List<Action> actions = c.step(leader, new Event.LeaseRead(7));
    assertEquals(List.of(new Action.ReadIndexReady(7, c.core(leader).commitIndex())), actions);
  }

  @Test
  void leaseEndsWithoutAcknowledgementsAndAfterAStalledEventLoop() {
    CoreCluster c = stable(3, 6);
    long leader = c.stableLeader();
    c.isolated.add(leader);
    for (int i = 0; i < CONFIG.electionTicksMin(); i++) c.tick(leader);
    List<Action> actions = c.step(leader, new Event.LeaseRead(8));
    assertTrue(actions.stream().noneMatch(a -> a instanceof Action.ReadIndexReady), "lease expired: " + actions);
    // It falls back to a read round. Every peer's requests failed, so the round waits for the heartbeat to reach them.
    c.isolated.remove(leader);
    c.tickAll(CONFIG.heartbeatTicks());
    assertEquals(List.of(new Action.ReadIndexReady(8, c.core(leader).commitIndex())),
        c.emitted(leader, Action.ReadIndexReady.class), "the answers to the heartbeat confirm the read");

    CoreCluster d = stable(3, 7);
    long l2 = d.stableLeader();
    d.step(l2, new Event.Tick(CONFIG.electionTicksMin())); // one late tick: the loop stood still that long
    List<Action> late = d.step(l2, new Event.LeaseRead(9));
    assertTrue(late.stream().noneMatch(a -> a instanceof Action.ReadIndexReady), "a stall must not stretch the lease");
    d.deliverAll();
    assertEquals(1, d.emitted(l2, Action.ReadIndexReady.class).size(), "the read round confirms it instead");
  }

  @Test
  void readRoundsLeaveAPeerWhoseAppendsFailToTheHeartbeat() {
    CoreCluster c = stable(3, 8);
    long leader = c.stableLeader();
    long dead = leader == 3 ? 2 : 3;
    long live = 6 - leader - dead;
    c.drop = m -> m.to() == dead || m.from() == dead;
    c.propose(leader, "x"); // the entry goes out to the dead peer too, fails, and the peer is paused
    assertTrue(entriesSent(c, leader, dead) > 0);
    // Between two heartbeats, a burst of linearizable reads: each one a round of its own.
    alignToHeartbeat(c, leader);
    long entriesBefore = entriesSent(c, leader, dead);
    int callsBefore = c.appendsSent(leader, dead).size();
    for (long token = 100; token < 120; token++) {
      c.step(leader, new Event.ReadIndex(List.of(token)));
      c.deliverAll();
    }
    assertEquals(20, c.emitted(leader, Action.ReadIndexReady.class).size(), "the live follower confirms each round");
    assertEquals(entriesBefore, entriesSent(c, leader, dead), "read rounds retried appends to a peer that was paused");
    assertEquals(callsBefore, c.appendsSent(leader, dead).size(), "read rounds called a peer whose requests fail");
    c.tickAll(CONFIG.heartbeatTicks());
    assertEquals(entriesBefore + 1, entriesSent(c, leader, dead), "the heartbeat retries the entries, once");
    assertEquals(callsBefore + 2, c.appendsSent(leader, dead).size(), "the heartbeat itself and the one retry");

    // Back again: its answer to the next heartbeat puts it back into the rounds, where a quorum now needs it.
    c.drop = m -> false;
    c.tickAll(CONFIG.heartbeatTicks());
    c.isolated.add(live);
    int callsNow = c.appendsSent(leader, dead).size();
    c.step(leader, new Event.ReadIndex(List.of(200L)));
    c.deliverAll();
    assertEquals(callsNow + 1, c.appendsSent(leader, dead).size(), "the read round calls the peer that answered");
    assertEquals(21, c.emitted(leader, Action.ReadIndexReady.class).size(), "and its answer confirms the read");
  }

  @Test
  void readRoundsDoNotCountDownASnapshotRetryBackoff() {
    CoreCluster c = stable(3, 9);
    long leader = c.stableLeader();
    long lagging = leader == 3 ? 2 : 3;
    c.isolated.add(lagging);
    for (int i = 0; i < 10; i++) c.propose(leader, "v" + i);
    c.takeSnapshot(leader, 0);
    c.isolated.remove(lagging);
    c.drop = m -> m instanceof CoreCluster.SnapshotReq;
    alignToHeartbeat(c, leader); // the heartbeat finds the follower behind the snapshot: the transfer fails
    assertEquals(1, snapshotsSent(c, leader));
    for (long token = 200; token < 240; token++) {
      c.step(leader, new Event.ReadIndex(List.of(token)));
      c.deliverAll();
    }
    assertEquals(40, c.emitted(leader, Action.ReadIndexReady.class).size());
    assertEquals(1, snapshotsSent(c, leader), "read rounds ran down the backoff of a failed snapshot transfer");
    c.tickAll(CONFIG.heartbeatTicks() * 2); // the backoff after a first failure: two heartbeats
    assertEquals(2, snapshotsSent(c, leader), "the backoff ends with the heartbeats");
  }

  /** Ticks until the leader has just sent a heartbeat, so that the next one is a whole interval away. */
  private static void alignToHeartbeat(CoreCluster c, long leader) {
    for (int i = 0; i < CONFIG.heartbeatTicks(); i++) {
      int before = c.appendsSent(leader, leader == 1 ? 2 : 1).size();
      c.tickAll(1);
      if (c.appendsSent(leader, leader == 1 ? 2 : 1).size() > before) return;
    }
    throw new AssertionError("no heartbeat within an interval");
  }

  private static long entriesSent(CoreCluster c, long from, long to) {
    return c.appendsSent(from, to).stream().filter(a -> !a.request().entries().isEmpty()).count();
  }

  private static long snapshotsSent(CoreCluster c, long leader) {
    return c.emitted(leader, Action.SendSnapshot.class).size();
  }
}
