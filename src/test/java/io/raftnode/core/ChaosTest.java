package io.raftnode.core;

import static io.raftnode.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random runs: lost messages, partitions and crashes with restarts from disk, while proposals keep coming.
 * The harness checks safety on every step (one leader per term, the same entry applied at each index); after the
 * network heals, every node must end with the same log and apply all of it.
 */
class ChaosTest {

  @Test
  void randomFaultsNeverBreakSafetyAndTheClusterConvergesAfterHealing() {
    for (long seed = 1; seed <= 40; seed++) run(seed);
  }

  private static void run(long seed) {
    Random r = new Random(seed);
    CoreCluster c = CoreCluster.fresh(5, seed);
    c.drop = m -> r.nextInt(10) == 0;
    int proposals = 0;
    for (int round = 0; round < 400; round++) {
      int dice = r.nextInt(100);
      long victim = 1 + r.nextInt(5);
      if (dice < 3) c.isolated.add(victim);
      else if (dice < 6) c.isolated.clear();
      else if (dice < 8 && c.node(victim).up) c.node(victim).up = false;
      else if (dice < 10 && !c.node(victim).up) c.node(victim).restart();
      for (CoreCluster.Sim n : c.nodes.values()) {
        if (n.up && n.core.role() == Role.LEADER && r.nextInt(3) == 0) {
          c.step(n, new Event.Propose(java.util.List.of(new Event.Proposal(++proposals, CoreCluster.data("p" + proposals)))));
        }
      }
      c.tickAll(1);
    }

    c.drop = m -> false;
    c.isolated.clear();
    for (CoreCluster.Sim n : c.nodes.values()) if (!n.up) n.restart();
    c.awaitLeader(CONFIG.electionTicksMax() * 20);
    long leader = c.stableLeader();
    c.propose(leader, "final");
    c.tickAll(CONFIG.heartbeatTicks() * 3);
    long last = c.core(leader).lastLogId().index();
    assertEquals(last, c.core(leader).commitIndex(), "seed " + seed);
    for (CoreCluster.Sim n : c.nodes.values()) {
      assertEquals(c.node(leader).logIds(), n.logIds(), "seed " + seed + " node " + n.id);
      assertEquals(last, n.core.appliedIndex(), "seed " + seed + " node " + n.id);
    }
  }
}
