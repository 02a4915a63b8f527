package io.raftnode.internal.core;

import static io.raftnode.internal.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Check-quorum (thesis §6.2): a leader that stops hearing from a majority steps down. */
class CheckQuorumTest {

  @Test
  void leaderIsolatedFromTheMajorityStepsDownWithinAnElectionTimeout() {
    for (long seed = 1; seed <= 10; seed++) {
      CoreCluster c = CoreCluster.fresh(5, seed);
      c.awaitLeader(CONFIG.electionTicksMax() * 4);
      long leader = c.stableLeader();
      long term = c.core(leader).vote().term();
      c.isolated.add(leader);
      c.step(leader, new Event.ReadIndex(List.of(500L)));

      int ticks = 0;
      while (c.core(leader).role() == Role.LEADER) {
        c.tickAll(1);
        ticks++;
        assertTrue(ticks <= CONFIG.electionTicksMax(), "seed " + seed + ": still leader after " + ticks + " ticks");
      }
      assertEquals(0, c.core(leader).leaderId());
      assertEquals(term, c.core(leader).vote().term(), "stepping down does not raise the term");
      assertEquals(List.of(new Action.ReadIndexFailed(500, 0)), c.emitted(leader, Action.ReadIndexFailed.class),
          "seed " + seed + ": a read waiting on the old office fails");
      List<Event.Proposal> one = List.of(new Event.Proposal(501, CoreCluster.data("x")));
      assertEquals(List.of(new Action.ProposalRejected(501, 0)), c.step(leader, new Event.Propose(one)));

      long elected = 0;
      for (int i = 0; i < CONFIG.electionTicksMax() * 4 && elected == 0; i++) {
        c.tickAll(1);
        elected = c.stableLeader();
      }
      assertNotEquals(0, elected, "seed " + seed + ": the majority elects a new leader");
      assertNotEquals(leader, elected);
    }
  }

  @Test
  void leaderThatStillHearsFromAMajorityKeepsItsOffice() {
    CoreCluster c = CoreCluster.fresh(5, 3);
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    long leader = c.stableLeader();
    long term = c.core(leader).vote().term();
    int cut = 0;
    for (long id = 1; id <= 5 && cut < 2; id++) {
      if (id != leader) {
        c.isolated.add(id);
        cut++;
      }
    }
    c.tickAll(CONFIG.electionTicksMax() * 5);
    assertEquals(Role.LEADER, c.core(leader).role());
    assertEquals(term, c.core(leader).vote().term());
  }
}
