package io.raftnode.internal.core;

import static io.raftnode.internal.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The commit rule (§5.3, §5.4.2): a quorum of durable copies, and only entries of the leader's own term. */
class CommitTest {

  private static final CoreConfig ONE_ENTRY_PER_APPEND = new CoreConfig(2, 10, 20, 1, 1 << 20, 4);
  private static final Entry BOOT = LogMatchingTest.entry(1, 1, 5);
  private static final Entry S1_TERM2 = new Entry(LogId.of(2, 1, 2), CoreCluster.data("from S1 in term 2"));
  private static final Entry S5_TERM3 = new Entry(LogId.of(3, 5, 2), CoreCluster.data("from S5 in term 3"));

  /**
   * Figure 8 (c): S1 leads term 4 and copies its term-2 entry at index 2 to S2, S3 and S4, while every request
   * carrying its own term-4 entry (index 3) is lost. S5, down, holds a term-3 entry at index 2.
   */
  private static CoreCluster figure8c() {
    Map<Long, List<Entry>> logs = new TreeMap<>();
    logs.put(1L, List.of(BOOT, S1_TERM2));
    logs.put(2L, List.of(BOOT, S1_TERM2));
    logs.put(3L, List.of(BOOT));
    logs.put(4L, List.of(BOOT));
    logs.put(5L, List.of(BOOT, S5_TERM3));
    Map<Long, Vote> votes = Map.of(
        1L, Vote.of(2, 1, true), 2L, Vote.of(2, 1, true),
        3L, Vote.of(3, 5, true), 4L, Vote.of(3, 5, true), 5L, Vote.of(3, 5, true));
    CoreCluster c = new CoreCluster(ONE_ENTRY_PER_APPEND, votes, logs, 8);
    c.node(5).up = false;
    c.fail = m -> m instanceof CoreCluster.AppendReq a
        && a.from() == 1 && a.request().entries().stream().anyMatch(e -> e.index() >= 3);

    while (c.core(1).role() != Role.LEADER) c.tick(1);
    assertEquals(4, c.core(1).vote().term());
    for (int i = 0; i < 10; i++) c.tick(1); // heartbeats retry until index 2 is everywhere it can be
    return c;
  }

  @Test
  void figure8LeaderDoesNotCommitAnOldTermEntryByCountingReplicas() {
    CoreCluster c = figure8c();
    for (long id = 2; id <= 4; id++) {
      assertEquals(S1_TERM2.logId(), c.node(id).logIds().get(1), "S" + id + " holds the term-2 entry");
      assertEquals(2, c.core(1).progressOf(id).matchIndex(), "and S1 knows it");
    }
    // Four of five hold index 2, yet it is of term 2, not 4: committing it now would be unsafe.
    assertEquals(0, c.core(1).commitIndex());
    assertTrue(c.node(1).applied.isEmpty());

    // Figure 8 (d): S1 crashes, S5 comes back and wins term 5 with S2-S4 (its last term 3 beats their 2)...
    c.node(1).up = false;
    c.fail = m -> false;
    c.node(5).restart();
    // S2-S4 follow S1 and refuse votes until they stop hearing from it (stickiness); their own pre-votes are lost,
    // so they cannot stand, and pre-vote keeps their term where it was.
    c.drop = m -> m instanceof CoreCluster.VoteReq v && v.from() != 5;
    while (c.core(5).role() != Role.LEADER) c.tickAll(1);
    assertEquals(5, c.core(5).vote().term());
    // ...and replaces index 2 everywhere: had S1 committed it, a committed entry would now be lost.
    for (long id = 2; id <= 5; id++) assertEquals(S5_TERM3.logId(), c.node(id).logIds().get(1), "S" + id);
    assertEquals(3, c.core(5).commitIndex());
  }

  @Test
  void figure8OldTermEntryCommitsOnceAnEntryOfTheCurrentTermReachesAMajority() {
    CoreCluster c = figure8c();
    assertEquals(0, c.core(1).commitIndex());

    // Figure 8 (e): S1 gets its term-4 entry to a majority; index 2 commits indirectly with it.
    c.fail = m -> false;
    c.tick(1);
    c.tick(1);
    assertEquals(3, c.core(1).commitIndex());
    assertEquals(List.of(BOOT, S1_TERM2, c.core(1).entryAt(3)), c.node(1).applied);
  }

  @Test
  void leaderCountsItselfOnlyOnceItsOwnDiskConfirms() {
    CoreCluster c = CoreCluster.fresh(3, 31);
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    long leader = c.stableLeader();
    long slow = leader == 3 ? 2 : 3;
    c.node(leader).autoPersist = false;
    c.hold = m -> m instanceof CoreCluster.AppendReq a && a.to() == slow;

    c.propose(leader, "x");
    assertEquals(3, c.core(leader).lastLogId().index());
    // One follower has it durably; the leader's own write is still in progress: one copy of three.
    assertEquals(2, c.core(leader).commitIndex());

    c.node(leader).flush();
    assertEquals(3, c.core(leader).commitIndex(), "the leader's own durable copy is the second one");
  }

  @Test
  void secondDurableFollowerCopyCommitsWhileTheLeaderDiskLags() {
    CoreCluster c = CoreCluster.fresh(3, 32);
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    long leader = c.stableLeader();
    long slow = leader == 3 ? 2 : 3;
    c.node(leader).autoPersist = false;
    c.hold = m -> m instanceof CoreCluster.AppendReq a && a.to() == slow;

    c.propose(leader, "x");
    assertEquals(2, c.core(leader).commitIndex());
    c.releaseHeld();
    assertEquals(3, c.core(leader).commitIndex(), "both followers hold it durably");
  }

  @Test
  void persistedIdThatIsNoLongerInTheLogIsNotCounted() {
    CoreCluster c = CoreCluster.fresh(1, 33);
    c.awaitLeader(CONFIG.electionTicksMax());
    c.node(1).autoPersist = false;
    c.propose(1, "x");
    c.step(1, new Event.LogPersisted(LogId.of(99, 9, 3))); // not what index 3 holds
    assertEquals(2, c.core(1).commitIndex());
    c.node(1).flush();
    assertEquals(3, c.core(1).commitIndex());
  }
}
