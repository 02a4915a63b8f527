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

/** A core rebuilt from its durable vote and log. */
class RestartTest {

  @Test
  void restoredVoteIsKeptSoTheNodeNeverVotesTwiceInATerm() {
    List<Entry> log = LogMatchingTest.log(3, 1, 1, 2);
    RaftCore core = new RaftCore(CONFIG, 1, Vote.of(5, 2, false), log, new Random(1));
    assertEquals(Role.FOLLOWER, core.role());
    assertEquals(0, core.leaderId());
    assertEquals(0, core.commitIndex());
    assertEquals(0, core.appliedIndex());
    assertEquals(log.get(2).logId(), core.lastLogId());
    assertEquals(3, core.membership().voterIds().size());

    LogId upToDate = LogId.of(5, 3, 9);
    List<Action> other = core.step(new Event.VoteRequestReceived(1, new VoteRequest(Vote.of(5, 3, false), upToDate, false)));
    assertEquals(1, other.size(), "nothing to persist: " + other);
    assertFalse(((Action.ReplyVote) other.get(0)).response().voteGranted(), "already voted for 2 in term 5");

    List<Action> same = core.step(new Event.VoteRequestReceived(2, new VoteRequest(Vote.of(5, 2, false), upToDate, false)));
    assertTrue(((Action.ReplyVote) same.get(0)).response().voteGranted());
    assertEquals(Vote.of(5, 2, false), core.vote());
  }

  @Test
  void restartedFollowerCatchesUpAndReappliesEverything() {
    CoreCluster c = CoreCluster.fresh(3, 41);
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    long leader = c.stableLeader();
    long crashed = leader == 1 ? 2 : 1;
    c.propose(leader, "a", "b");
    c.tickAll(CONFIG.heartbeatTicks());
    c.node(crashed).up = false;
    c.propose(leader, "c");
    c.propose(leader, "d");
    assertEquals(6, c.core(leader).commitIndex(), "the other follower makes a majority");

    c.node(crashed).restart();
    assertEquals(0, c.core(crashed).appliedIndex());
    assertEquals(4, c.core(crashed).lastLogId().index(), "what it had on disk");
    c.tickAll(CONFIG.heartbeatTicks() * 2);
    assertEquals(c.node(leader).logIds(), c.node(crashed).logIds());
    assertEquals(c.node(leader).applied, c.node(crashed).applied);
    assertEquals(leader, c.core(crashed).leaderId());
  }

  @Test
  void restartedLeaderKeepsItsTermAndRejoinsAsFollower() {
    CoreCluster c = CoreCluster.fresh(3, 42);
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    long old = c.stableLeader();
    long term = c.core(old).vote().term();
    c.propose(old, "a");
    c.node(old).up = false;
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    long next = c.stableLeader();
    assertTrue(next != old);

    c.node(old).restart();
    assertEquals(Vote.of(term, old, true), c.core(old).vote(), "its committed vote survived");
    assertEquals(Role.FOLLOWER, c.core(old).role());
    c.tickAll(CONFIG.heartbeatTicks() * 2);
    assertEquals(next, c.core(old).leaderId());
    assertEquals(c.node(next).applied, c.node(old).applied);
  }
}
