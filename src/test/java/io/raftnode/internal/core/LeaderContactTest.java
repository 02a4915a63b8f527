package io.raftnode.internal.core;

import static io.raftnode.internal.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RaftCore.leaderHeardWithinElectionTimeout, which the node's health service and has_leader metric report. */
class LeaderContactTest {

  @Test
  void aFollowerCutOffFromItsLeaderStopsReportingOneWithinTheMaximumElectionTimeout() {
    CoreCluster c = CoreCluster.fresh(3, 7);
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    long leader = c.stableLeader();
    long follower = leader % 3 + 1;
    assertTrue(c.core(leader).leaderHeardWithinElectionTimeout(), "a leader counts itself");
    assertTrue(c.core(follower).leaderHeardWithinElectionTimeout());
    assertFalse(CoreCluster.fresh(3, 7).core(1).leaderHeardWithinElectionTimeout(), "no leader known at start");

    c.isolated.add(follower);
    int ticks = 0;
    while (c.core(follower).leaderHeardWithinElectionTimeout()) {
      c.tickAll(1);
      ticks++;
      assertTrue(ticks <= CONFIG.electionTicksMax(), "still reports a leader after " + ticks + " ticks");
    }
    c.isolated.remove(follower);
    for (int i = 0; i < CONFIG.electionTicksMax() * 4 && !c.core(follower).leaderHeardWithinElectionTimeout(); i++) {
      c.tickAll(1);
    }
    assertTrue(c.core(follower).leaderHeardWithinElectionTimeout(), "hears from a leader again once reconnected");
  }
}
