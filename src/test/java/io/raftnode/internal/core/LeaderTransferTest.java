package io.raftnode.internal.core;

import static io.raftnode.internal.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Leadership transfer (thesis §3.10). */
class LeaderTransferTest {

  private static CoreCluster stable(long seed) {
    CoreCluster c = CoreCluster.fresh(3, seed);
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    c.tickAll(CONFIG.heartbeatTicks() * 2);
    return c;
  }

  /** Ticks everyone until the leader reports the transfer's outcome; returns it. */
  private static Action outcome(CoreCluster c, long leader, int maxTicks) {
    for (int i = 0; i <= maxTicks; i++) {
      List<Action> done = c.node(leader).history.stream()
          .filter(a -> a instanceof Action.TransferCompleted || a instanceof Action.TransferFailed).toList();
      if (!done.isEmpty()) return done.get(0);
      c.tickAll(1);
    }
    throw new AssertionError("no outcome within " + maxTicks + " ticks");
  }

  @Test
  void transfersToEachNode() {
    for (long target = 1; target <= 3; target++) {
      CoreCluster c = stable(10 + target);
      long leader = c.stableLeader();
      long term = c.core(leader).vote().term();
      c.step(leader, new Event.TransferLeadership(100, target));
      c.deliverAll();
      assertEquals(new Action.TransferCompleted(100, target), outcome(c, leader, CONFIG.electionTicksMax() * 2));
      assertEquals(target, c.core(target).leaderId());
      assertEquals(Role.LEADER, c.core(target).role());
      assertEquals(target == leader ? term : term + 1, c.core(target).vote().term(), "one election, no pre-vote");
      c.tickAll(CONFIG.heartbeatTicks() * 2);
      assertEquals(target, c.stableLeader());
    }
  }

  @Test
  void transferToALaggingNodeCatchesItUpFirstAndRejectsProposalsMeanwhile() {
    CoreCluster c = stable(21);
    long leader = c.stableLeader();
    long lagging = leader == 3 ? 2 : 3;
    c.drop = m -> m instanceof CoreCluster.AppendReq a && a.to() == lagging;
    for (int i = 0; i < 5; i++) c.propose(leader, "w" + i);
    long last = c.core(leader).lastLogId().index();
    assertTrue(c.core(lagging).lastLogId().index() < last);
    c.drop = m -> false;

    c.step(leader, new Event.TransferLeadership(200, lagging));
    List<Action> refused = c.step(leader, new Event.Propose(List.of(new Event.Proposal(201, CoreCluster.data("x")))));
    assertEquals(List.of(new Action.ProposalRejected(201, leader)), refused);
    assertTrue(c.emitted(leader, Action.SendTransferLeader.class).isEmpty(), "not before the target caught up");

    assertEquals(new Action.TransferCompleted(200, lagging), outcome(c, leader, CONFIG.electionTicksMax() * 2));
    Action.SendTransferLeader sent = c.emitted(leader, Action.SendTransferLeader.class).get(0);
    assertEquals(last, sent.request().lastLogId().index(), "sent once the target held the leader's last entry");
    for (long i = 2; i <= last; i++) assertEquals(c.core(leader).entryAt(i), c.core(lagging).entryAt(i));
  }

  @Test
  void transferIsAbortedWhenTheTargetIsDownAndTheLeaderResumes() {
    CoreCluster c = stable(31);
    long leader = c.stableLeader();
    long term = c.core(leader).vote().term();
    long target = leader == 1 ? 2 : 1;
    c.node(target).up = false;
    c.step(leader, new Event.TransferLeadership(300, target));
    Action failed = outcome(c, leader, CONFIG.electionTicksMax() * 3);
    assertTrue(failed instanceof Action.TransferFailed f && f.reason().contains("remains leader"), failed.toString());
    assertEquals(Role.LEADER, c.core(leader).role());
    assertEquals(term, c.core(leader).vote().term());
    List<Action> accepted = c.propose(leader, "after");
    assertTrue(accepted.stream().anyMatch(a -> a instanceof Action.ProposalAccepted), "takes proposals again");
  }

  @Test
  void targetZeroPicksTheMostUpToDateVoter() {
    CoreCluster c = stable(41);
    long leader = c.stableLeader();
    long behind = leader == 3 ? 2 : 3;
    long ahead = 6 - leader - behind;
    c.drop = m -> m instanceof CoreCluster.AppendReq a && a.to() == behind;
    c.propose(leader, "only-some");
    c.step(leader, new Event.TransferLeadership(400, 0));
    c.deliverAll();
    assertEquals(new Action.TransferCompleted(400, ahead), outcome(c, leader, CONFIG.electionTicksMax() * 2));
  }

  @Test
  void followersAndNonVotersAreRefused() {
    CoreCluster c = stable(51);
    long leader = c.stableLeader();
    long follower = leader == 1 ? 2 : 1;
    assertEquals(List.of(new Action.TransferRejected(500, leader)),
        c.step(follower, new Event.TransferLeadership(500, 3)));
    List<Action> actions = c.step(leader, new Event.TransferLeadership(501, 9));
    assertTrue(actions.get(0) instanceof Action.TransferFailed f && f.reason().contains("not a voter"));
  }
}
