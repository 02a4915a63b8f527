package io.raftnode.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The core keeps a bounded window of entries in memory and asks for the rest to be read from disk
 * ({@link Action.ReadEntries} / {@link Event.EntriesRead}): for a follower far behind, and for applying after a
 * restart. A read that is no longer wanted when it returns is dropped.
 */
class LogOnDiskTest {

  /** 64 entries and 1 MiB per append, as CoreCluster.CONFIG, with a log cache of about ten 100-byte entries. */
  private static final long CACHE_BYTES = 10 * (100 + EntryWindow.ENTRY_OVERHEAD_BYTES);
  private static final CoreConfig CONFIG = CoreCluster.CONFIG.withLogCacheBytes(CACHE_BYTES);

  private static String value(int i) {
    return String.format("%0100d", i);
  }

  private static CoreCluster elected(long seed) {
    CoreCluster c = CoreCluster.fresh(3, seed, CONFIG);
    c.awaitLeader(200);
    return c;
  }

  private static long other(long leader, long not) {
    for (long id = 1; id <= 3; id++) if (id != leader && id != not) return id;
    throw new AssertionError();
  }

  /** Proposes {@code n} entries one at a time, checking the leader's memory after each. */
  private static void write(CoreCluster c, long leader, int n) {
    for (int i = 0; i < n; i++) {
      c.propose(leader, value(i));
      assertTrue(c.core(leader).logBytesInMemory() <= CACHE_BYTES,
          "the leader holds " + c.core(leader).logBytesInMemory() + " bytes of entries, over the bound " + CACHE_BYTES);
    }
  }

  @Test
  void aFollowerFarBehindIsFedFromDiskInBoundedBatchesWithoutGrowingTheLeadersMemory() {
    CoreCluster c = elected(1);
    long leader = c.stableLeader();
    long lagging = other(leader, 0);
    c.node(lagging).up = false;
    write(c, leader, 300);
    long last = c.core(leader).lastLogId().index();
    assertTrue(c.core(leader).firstIndexInMemory() > last - 20, "old entries left the leader's memory");

    c.node(leader).autoRead = false;
    c.node(lagging).up = true;
    for (int round = 0; round < 200 && c.core(lagging).commitIndex() < last; round++) {
      c.tickAll(1);
      while (!c.node(leader).reads.isEmpty()) {
        // At most one read under way for the follower: the next is asked for only once this one's batch went out.
        assertEquals(1, c.node(leader).reads.size(), "reads under way: " + c.node(leader).reads);
        Action.ReadEntries r = c.node(leader).reads.poll();
        c.step(leader, new Event.EntriesRead(r.readId(), r.forPeer(), r.from(), CoreCluster.readDisk(c.node(leader), r)));
        c.deliverAll();
        assertTrue(c.core(leader).logBytesInMemory() <= CACHE_BYTES);
      }
    }
    assertEquals(last, c.core(lagging).commitIndex());
    int reads = c.node(leader).readsAsked.size();
    assertTrue(reads >= 300 / CONFIG.maxEntriesPerAppend(), "reads: " + reads);
    for (Action.ReadEntries r : c.node(leader).readsAsked) {
      assertEquals(lagging, r.forPeer());
      assertEquals(CONFIG.maxEntriesPerAppend(), r.maxEntries());
    }
    for (CoreCluster.AppendReq a : c.appendsSent(leader, lagging)) {
      assertTrue(a.request().entries().size() <= CONFIG.maxEntriesPerAppend());
    }
    assertEquals(c.node(leader).applied, c.node(lagging).applied);
  }

  @Test
  void aReadThatReturnsAfterTheLeaderSteppedDownIsDropped() {
    CoreCluster c = elected(2);
    long leader = c.stableLeader();
    long lagging = other(leader, 0);
    c.node(lagging).up = false;
    write(c, leader, 100);
    c.node(leader).autoRead = false;
    c.node(lagging).up = true;
    c.tickAll(CONFIG.heartbeatTicks());
    assertEquals(1, c.node(leader).reads.size(), "the leader asked for the follower's entries");
    Action.ReadEntries pending = c.node(leader).reads.peek();

    long term = c.core(leader).vote().term();
    AppendEntriesRequest any = new AppendEntriesRequest(c.core(leader).vote(), null, List.of(), null);
    c.step(leader, new Event.AppendEntriesResponseReceived(lagging, 1, any,
        new AppendEntriesResponse.HigherVote(Vote.of(term + 1, 0, false))));
    assertEquals(Role.FOLLOWER, c.core(leader).role());

    List<Action> after = c.step(leader, new Event.EntriesRead(pending.readId(), pending.forPeer(), pending.from(),
        CoreCluster.readDisk(c.node(leader), pending)));
    assertTrue(after.stream().noneMatch(a -> a instanceof Action.SendAppend), "sent: " + after);
  }

  @Test
  void entriesReadThatTheLogNoLongerHoldsAreNotSentAndTheFollowerWaitsForTheNextHeartbeat() {
    CoreCluster c = elected(3);
    long leader = c.stableLeader();
    long lagging = other(leader, 0);
    c.node(lagging).up = false;
    write(c, leader, 100);
    c.node(leader).autoRead = false;
    c.node(lagging).up = true;
    c.tickAll(CONFIG.heartbeatTicks());
    Action.ReadEntries pending = c.node(leader).reads.poll();
    // What a read could return had it raced a truncation: entries of another leader at those indexes.
    List<Entry> stale = new ArrayList<>();
    for (long i = pending.from(); i < pending.from() + 5; i++) {
      stale.add(new Entry(LogId.of(1, 99, i), new EntryPayload.Normal(new byte[] {1})));
    }
    List<Action> after = c.step(leader, new Event.EntriesRead(pending.readId(), pending.forPeer(), pending.from(), stale));
    assertTrue(after.isEmpty(), "nothing sent, nothing read again at once: " + after);
    // An answer to a read that is not the one under way changes nothing either.
    assertTrue(c.step(leader, new Event.EntriesRead(pending.readId() + 1000, lagging, pending.from(), stale)).isEmpty());

    c.node(leader).autoRead = true;
    c.awaitLeader(1);
    for (int i = 0; i < 50 && c.core(lagging).commitIndex() < c.core(leader).commitIndex(); i++) c.tickAll(1);
    assertEquals(c.core(leader).commitIndex(), c.core(lagging).commitIndex());
    assertEquals(c.node(leader).applied, c.node(lagging).applied);
  }

  @Test
  void aRestartedNodeAppliesEntriesThatAreOnlyOnDiskInOrderAndOnce() {
    CoreCluster c = elected(4);
    long leader = c.stableLeader();
    write(c, leader, 200);
    c.tickAll(3);
    long restarting = other(leader, 0);
    List<Entry> appliedBefore = List.copyOf(c.node(restarting).applied);
    c.node(restarting).restart();
    assertNull(c.core(restarting).entryAt(c.core(restarting).lastLogId().index()), "no payload loaded at startup");
    c.node(restarting).autoRead = false;

    // Heartbeats teach it the commit index, again and again, while its first read is under way.
    for (int i = 0; i < 3 * CONFIG.heartbeatTicks(); i++) c.tickAll(1);
    assertEquals(1, c.node(restarting).reads.size(), "one read for applying at a time");
    assertEquals(0, c.node(restarting).reads.peek().forPeer());
    assertEquals(1, c.node(restarting).reads.peek().from());

    c.node(restarting).autoRead = true;
    c.node(restarting).completeReads();
    c.tickAll(3);
    // CoreCluster fails on any entry applied out of order; equal lists mean each was applied exactly once.
    assertEquals(appliedBefore, c.node(restarting).applied.subList(0, appliedBefore.size()));
    assertEquals(c.node(leader).applied, c.node(restarting).applied);
    assertTrue(c.core(restarting).logBytesInMemory() <= CACHE_BYTES);
  }

  @Test
  void aDiskReadOvertakenByASnapshotInstallIsDroppedAndApplyingContinuesAfterIt() {
    CoreCluster c = elected(5);
    long leader = c.stableLeader();
    write(c, leader, 50);
    c.tickAll(3);
    long restarting = other(leader, 0);
    c.node(restarting).restart();
    c.node(restarting).autoRead = false;
    for (int i = 0; i < 2 * CONFIG.heartbeatTicks(); i++) c.tickAll(1);
    assertEquals(1, c.node(restarting).reads.size(), "it asked to read the entries it must apply");
    // Cut off while the read is under way, it falls behind the leader's snapshot and gets that instead.
    c.isolated.add(restarting);
    write(c, leader, 100);
    c.takeSnapshot(leader, 0);
    c.isolated.remove(restarting);
    for (int i = 0; i < 6 * CONFIG.heartbeatTicks() && c.snapshotsInstalled == 0; i++) c.tickAll(1);
    assertEquals(1, c.snapshotsInstalled);
    long installedAt = c.core(restarting).appliedIndex();
    int appliedBefore = c.node(restarting).applied.size();

    c.node(restarting).autoRead = true;
    c.node(restarting).completeReads(); // the read from before the install: dropped
    assertEquals(installedAt, c.core(restarting).appliedIndex());
    assertEquals(appliedBefore, c.node(restarting).applied.size());
    write(c, leader, 5);
    c.tickAll(3);
    assertEquals(c.core(leader).appliedIndex(), c.core(restarting).appliedIndex());
    List<Entry> leaderTail = c.node(leader).applied.subList(c.node(leader).applied.size() - 5, c.node(leader).applied.size());
    List<Entry> tail = c.node(restarting).applied.subList(c.node(restarting).applied.size() - 5, c.node(restarting).applied.size());
    assertEquals(leaderTail, tail);
  }
}
