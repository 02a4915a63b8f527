package io.raftnode.internal.core;

import static io.raftnode.internal.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ElectionTest {

  private static final Entry BOOT = CoreCluster.membershipEntry(LogId.of(0, 0, 1), 3);

  private static RaftCore core(long id, Vote vote, List<Entry> log) {
    return new RaftCore(CONFIG, id, vote, log, new Random(id));
  }

  private static Event vote(long token, long term, long candidate, LogId last) {
    return new Event.VoteRequestReceived(token, new VoteRequest(Vote.of(term, candidate, false), last, false));
  }

  @Test
  void threeNodeClusterElectsOneLeader() {
    for (long seed = 1; seed <= 20; seed++) {
      CoreCluster c = CoreCluster.fresh(3, seed);
      int ticks = c.awaitLeader(CONFIG.electionTicksMax() * 4);
      assertTrue(ticks < CONFIG.electionTicksMax() * 4, "seed " + seed);
      long leader = c.stableLeader();
      long term = c.core(leader).vote().term();
      for (CoreCluster.Sim n : c.nodes.values()) {
        assertEquals(term, n.core.vote().term(), "seed " + seed + " node " + n.id);
        assertEquals(n.id == leader ? Role.LEADER : Role.FOLLOWER, n.core.role());
      }
      assertEquals(Vote.of(term, leader, true), c.node(leader).diskVote, "the leader's vote is committed on disk");
    }
  }

  @Test
  void fiveNodeClusterElectsOneLeaderAndStaysStable() {
    for (long seed = 1; seed <= 20; seed++) {
      CoreCluster c = CoreCluster.fresh(5, seed);
      c.awaitLeader(CONFIG.electionTicksMax() * 4);
      long leader = c.stableLeader();
      long term = c.core(leader).vote().term();
      c.tickAll(CONFIG.electionTicksMax() * 5); // heartbeats keep everyone following
      assertEquals(leader, c.stableLeader(), "seed " + seed);
      assertEquals(term, c.core(leader).vote().term());
    }
  }

  @Test
  void singleVoterElectsItselfWithoutAskingAnyone() {
    CoreCluster c = CoreCluster.fresh(1, 3);
    c.awaitLeader(CONFIG.electionTicksMax());
    assertTrue(c.node(1).history.stream().noneMatch(a -> a instanceof Action.SendVote));
    assertEquals(2, c.core(1).commitIndex(), "its blank entry commits on its own durable copy");
    assertEquals(2, c.node(1).applied.size());
  }

  @Test
  void grantsOneVotePerTermAndPersistsItBeforeReplying() {
    RaftCore core = core(1, Vote.INITIAL, List.of(BOOT));
    List<Action> first = core.step(vote(10, 1, 2, BOOT.logId()));
    assertEquals(List.of(new Action.PersistVote(Vote.of(1, 2, false)), granted(10, first, true)), first);

    List<Action> second = core.step(vote(11, 1, 3, BOOT.logId()));
    assertEquals(1, second.size(), "no vote change, nothing to persist: " + second);
    assertFalse(((Action.ReplyVote) second.get(0)).response().voteGranted(), "already voted for 2 in term 1");
    assertEquals(Vote.of(1, 2, false), core.vote());

    List<Action> again = core.step(vote(12, 1, 2, BOOT.logId()));
    assertTrue(((Action.ReplyVote) again.get(0)).response().voteGranted(), "a retransmitted request is granted again");
  }

  private static Action.ReplyVote granted(long token, List<Action> actions, boolean expected) {
    Action.ReplyVote reply = (Action.ReplyVote) actions.get(actions.size() - 1);
    assertEquals(token, reply.token());
    assertEquals(expected, reply.response().voteGranted());
    return reply;
  }

  @Test
  void rejectsCandidateWithStaleLogButAdoptsItsTerm() {
    Entry e2 = new Entry(LogId.of(2, 1, 2), new EntryPayload.Normal(new byte[] {1}));
    RaftCore core = core(3, Vote.of(2, 1, true), List.of(BOOT, e2));

    // §5.4.1: a longer log with an older last term is less up-to-date.
    List<Action> actions = core.step(vote(1, 3, 2, LogId.of(1, 2, 5)));
    assertEquals(new Action.PersistVote(Vote.of(3, 0, false)), actions.get(0));
    granted(1, actions, false);

    // Same last term but shorter: still stale.
    granted(2, core.step(vote(2, 4, 2, LogId.of(0, 0, 1))), false);
    // Same last term and as long: up-to-date.
    granted(3, core.step(vote(3, 5, 2, LogId.of(2, 1, 2))), true);
    assertEquals(Vote.of(5, 2, false), core.vote());
  }

  @Test
  void candidateWithStaleLogNeverWins() {
    CoreCluster c = CoreCluster.fresh(3, 5);
    long leader = elect(c);
    long stale = leader == 3 ? 2 : 3;
    c.isolated.add(stale);
    c.propose(leader, "a", "b");
    c.tickAll(3);
    long committed = c.core(leader).commitIndex();
    assertEquals(4, committed);

    c.isolated.clear();
    for (int i = 0; i < CONFIG.electionTicksMax() * 3; i++) c.tick(stale); // only the stale node times out
    assertTrue(c.node(stale).history.stream().anyMatch(a -> a instanceof Action.SendVote), "it did stand");
    assertTrue(c.nodes.values().stream().noneMatch(n -> n.id == stale && n.core.role() == Role.LEADER));

    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    assertTrue(c.stableLeader() != stale);
    c.tickAll(CONFIG.heartbeatTicks() * 2);
    assertEquals(c.node(c.stableLeader()).logIds(), c.node(stale).logIds(), "the stale node caught up");
  }

  private static long elect(CoreCluster c) {
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    return c.stableLeader();
  }

  @Test
  void leaderIgnoresHigherTermVoteRequestUnlessItIsATransfer() {
    CoreCluster c = CoreCluster.fresh(3, 9);
    long leader = elect(c);
    long term = c.core(leader).vote().term();
    // §9.6: a live leader does not let a disruptive candidate depose it; check-quorum removes a cut-off leader.
    List<Action> ignored = c.step(leader, vote(98, term + 1, 7, null));
    assertEquals(Role.LEADER, c.core(leader).role());
    assertEquals(term, c.core(leader).vote().term());
    assertEquals(1, ignored.size());
    assertFalse(((Action.ReplyVote) ignored.get(0)).response().voteGranted());

    VoteRequest transfer = new VoteRequest(Vote.of(term + 1, 7, false), c.core(leader).lastLogId(), true);
    List<Action> actions = c.step(leader, new Event.VoteRequestReceived(99, transfer));
    assertEquals(Role.FOLLOWER, c.core(leader).role());
    assertEquals(0, c.core(leader).leaderId());
    assertEquals(new Action.PersistVote(Vote.of(term + 1, 7, false)), actions.get(0), "its log is up to date");
    assertInstanceOf(Action.ReplyVote.class, actions.get(actions.size() - 1));
  }

  @Test
  void leaderStepsDownOnHigherVoteInAppendResponse() {
    CoreCluster c = CoreCluster.fresh(3, 11);
    long leader = elect(c);
    long term = c.core(leader).vote().term();
    AppendEntriesRequest sent = new AppendEntriesRequest(c.core(leader).vote(), null, List.of(), null);
    AppendEntriesResponse higher = new AppendEntriesResponse.HigherVote(Vote.of(term + 2, 2, true));
    List<Action> actions = c.step(leader, new Event.AppendEntriesResponseReceived(2, 1, sent, higher));
    assertEquals(List.of(new Action.PersistVote(Vote.of(term + 2, 0, false))), actions);
    assertEquals(Role.FOLLOWER, c.core(leader).role());
    List<Action> rejected = c.step(leader, new Event.Propose(List.of(new Event.Proposal(5, CoreCluster.data("x")))));
    assertEquals(List.of(new Action.ProposalRejected(5, 0)), rejected);
  }

  @Test
  void randomizedTimeoutsDifferAcrossSeedsAndStayInRange() {
    Set<Integer> seen = new HashSet<>();
    for (long seed = 1; seed <= 10; seed++) {
      RaftCore core = new RaftCore(CONFIG, 1, Vote.INITIAL, List.of(BOOT), new Random(seed));
      int ticks = 0;
      List<Action> actions = List.of();
      while (actions.stream().noneMatch(a -> a instanceof Action.SendVote)) {
        actions = core.step(Event.Tick.INSTANCE);
        ticks++;
      }
      assertTrue(ticks >= CONFIG.electionTicksMin() && ticks < CONFIG.electionTicksMax(), "ticks " + ticks);
      // §9.6: the first round is a pre-vote at term+1; the node's own term and vote stay as they were.
      assertEquals(Role.FOLLOWER, core.role());
      assertEquals(Vote.INITIAL, core.vote());
      assertTrue(actions.stream().noneMatch(a -> a instanceof Action.PersistVote), actions.toString());
      Action.SendVote send = (Action.SendVote) actions.get(0);
      assertTrue(send.request().preVote());
      assertEquals(Vote.of(1, 1, false), send.request().vote());
      seen.add(ticks);
    }
    assertTrue(seen.size() > 1, "timeouts all equal: " + seen);
  }

  @Test
  void learnerNeverStandsForElection() {
    TreeMap<Long, Node> nodes = new TreeMap<>();
    for (long id = 1; id <= 3; id++) nodes.put(id, new Node("n" + id, ""));
    Membership m = new Membership(List.of(Set.of(2L, 3L)), nodes);
    Entry boot = new Entry(LogId.of(0, 0, 1), new EntryPayload.MembershipChange(m));
    RaftCore learner = core(1, Vote.INITIAL, List.of(boot));
    assertEquals(Role.LEARNER, learner.role());
    for (int i = 0; i < CONFIG.electionTicksMax() * 3; i++) assertEquals(List.of(), learner.step(Event.Tick.INSTANCE));

    RaftCore empty = core(1, Vote.INITIAL, List.of());
    assertEquals(Role.LEARNER, empty.role());
    for (int i = 0; i < CONFIG.electionTicksMax() * 3; i++) assertEquals(List.of(), empty.step(Event.Tick.INSTANCE));
  }
}
