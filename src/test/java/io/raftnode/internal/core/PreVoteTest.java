package io.raftnode.internal.core;

import static io.raftnode.internal.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Pre-vote and stickiness (thesis §9.6): a node that was cut off cannot disrupt a healthy leader on its return. */
class PreVoteTest {

  private static final Entry BOOT = CoreCluster.membershipEntry(LogId.of(0, 0, 1), 3);

  @Test
  void partitionedNodeRejoiningDoesNotBumpTheLeadersTerm() {
    for (long seed = 1; seed <= 10; seed++) {
      CoreCluster c = CoreCluster.fresh(5, seed);
      c.awaitLeader(CONFIG.electionTicksMax() * 4);
      long leader = c.stableLeader();
      long term = c.core(leader).vote().term();
      long cut = leader == 5 ? 4 : 5;
      c.isolated.add(cut);
      int before = c.node(cut).history.size();
      c.propose(leader, "while-cut-off");
      c.tickAll(CONFIG.electionTicksMax() * 10); // the cut-off node times out again and again

      assertEquals(term, c.core(cut).vote().term(), "seed " + seed + ": failed pre-votes leave the term alone");
      List<Action> since = c.node(cut).history.subList(before, c.node(cut).history.size());
      assertTrue(since.stream().anyMatch(a -> a instanceof Action.SendVote), "seed " + seed + ": it did ask");
      assertTrue(since.stream().allMatch(a -> !(a instanceof Action.SendVote s) || s.request().preVote()), "seed " + seed);
      assertTrue(since.stream().noneMatch(a -> a instanceof Action.PersistVote), "seed " + seed + ": nothing to persist");

      c.isolated.clear();
      c.tickAll(CONFIG.electionTicksMax() * 3);
      assertEquals(leader, c.stableLeader(), "seed " + seed + ": the leader kept its office");
      assertEquals(term, c.core(leader).vote().term(), "seed " + seed);
      assertEquals(c.node(leader).logIds(), c.node(cut).logIds(), "seed " + seed + ": the node caught up");
    }
  }

  @Test
  void preVoteGrantChangesNothingOnTheNodeThatAnswers() {
    RaftCore core = new RaftCore(CONFIG, 1, Vote.of(2, 3, true), List.of(BOOT), new Random(1));
    VoteRequest pre = new VoteRequest(Vote.of(3, 2, false), BOOT.logId(), false, true);
    List<Action> actions = core.step(new Event.VoteRequestReceived(7, pre));
    assertEquals(1, actions.size(), "no PersistVote: " + actions);
    Action.ReplyVote reply = (Action.ReplyVote) actions.get(0);
    assertTrue(reply.response().voteGranted());
    assertEquals(Vote.of(2, 3, true), reply.response().vote(), "the answer carries our unchanged vote");
    assertEquals(Vote.of(2, 3, true), core.vote());

    VoteRequest sameTerm = new VoteRequest(Vote.of(2, 2, false), BOOT.logId(), false, true);
    assertFalse(((Action.ReplyVote) core.step(new Event.VoteRequestReceived(8, sameTerm)).get(0)).response().voteGranted(),
        "a pre-vote is granted only above our term");
  }

  @Test
  void followerThatHeardFromItsLeaderRefusesVotesButNotATransfersVote() {
    CoreCluster c = CoreCluster.fresh(3, 4);
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    long leader = c.stableLeader();
    long follower = leader == 1 ? 2 : 1;
    long other = 6 - leader - follower;
    long term = c.core(leader).vote().term();
    LogId last = c.core(follower).lastLogId();

    for (boolean pre : new boolean[] {true, false}) {
      VoteRequest request = new VoteRequest(Vote.of(term + 1, other, false), last, false, pre);
      List<Action> actions = c.step(follower, new Event.VoteRequestReceived(10, request));
      assertFalse(((Action.ReplyVote) actions.get(actions.size() - 1)).response().voteGranted(), "pre " + pre);
      assertEquals(term, c.core(follower).vote().term(), "the term is not adopted");
      assertEquals(leader, c.core(follower).leaderId());
    }

    VoteRequest transfer = new VoteRequest(Vote.of(term + 1, other, false), last, true, false);
    List<Action> actions = c.step(follower, new Event.VoteRequestReceived(11, transfer));
    assertTrue(((Action.ReplyVote) actions.get(actions.size() - 1)).response().voteGranted());
    assertEquals(Vote.of(term + 1, other, false), c.core(follower).vote());
  }

  @Test
  void followerThatStoppedHearingFromItsLeaderGrantsAgain() {
    CoreCluster c = CoreCluster.fresh(3, 5);
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    long leader = c.stableLeader();
    long follower = leader == 1 ? 2 : 1;
    long term = c.core(leader).vote().term();
    c.isolated.add(leader);
    c.drop = m -> m instanceof CoreCluster.VoteReq; // keep the follower from standing itself
    for (int i = 0; i < CONFIG.electionTicksMin(); i++) c.tick(follower);
    VoteRequest request = new VoteRequest(Vote.of(term + 1, 6 - leader - follower, false), c.core(follower).lastLogId(), false);
    List<Action> actions = c.step(follower, new Event.VoteRequestReceived(12, request));
    assertTrue(((Action.ReplyVote) actions.get(actions.size() - 1)).response().voteGranted());
  }
}
