package io.raftnode.internal.core;

import static io.raftnode.internal.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.core.Action.MembershipFailure;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.MembershipCommand;
import io.raftnode.internal.model.Node;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Membership changes, as transcripts over a hand-driven cluster of cores: learners, joint consensus for every
 * change of voters, the rules that refuse a change, removing the leader, and a crash in the middle of a change
 * (the cases of etcd's confchange tests, with this project's rules).
 */
class JointConsensusTest {

  private static Node node(long id) {
    return new Node("n" + id + ":7000", "n" + id + ":8000");
  }

  private static MembershipCommand.AddLearner learner(long id) {
    return new MembershipCommand.AddLearner(id, node(id));
  }

  private static MembershipCommand.SetVoters voters(Long... ids) {
    return new MembershipCommand.SetVoters(Set.of(ids));
  }

  /** Enough ticks for heartbeats to carry everything appended and the commit index that follows. */
  private static void settle(CoreCluster c) {
    c.tickAll(CONFIG.heartbeatTicks() * 3);
  }

  private static CoreCluster started(int n, long seed) {
    CoreCluster c = CoreCluster.fresh(n, seed);
    c.awaitLeader(CONFIG.electionTicksMax() * 3);
    return c;
  }

  private static Action.MembershipChanged changed(CoreCluster c, long leader, long token) {
    Action answer = c.membershipAnswer(leader, token);
    return assertInstanceOf(Action.MembershipChanged.class, answer, "answer: " + answer);
  }

  private static Action.MembershipChangeFailed failed(CoreCluster c, long leader, long token, MembershipFailure kind) {
    Action answer = c.membershipAnswer(leader, token);
    Action.MembershipChangeFailed f = assertInstanceOf(Action.MembershipChangeFailed.class, answer, "answer: " + answer);
    assertEquals(kind, f.failure(), f.message());
    return f;
  }

  /** The memberships node {@code id} appended, in log order. */
  private static List<Membership> membershipsInLog(CoreCluster c, long id) {
    return c.node(id).disk.stream().map(Entry::payload)
        .filter(p -> p instanceof EntryPayload.MembershipChange).map(p -> ((EntryPayload.MembershipChange) p).membership())
        .toList();
  }

  /** Adds learners and catches them up. */
  private static void addLearners(CoreCluster c, long leader, long... ids) {
    for (long id : ids) {
      c.addNode(id);
      long token = c.changeMembership(leader, learner(id), 0);
      settle(c);
      changed(c, leader, token);
    }
  }

  @Test
  void aLearnerIsReplicatedToButNeverVotesOrCampaigns() {
    CoreCluster c = started(3, 1);
    long leader = c.stableLeader();
    c.propose(leader, "a", "b");
    addLearners(c, leader, 4);
    assertEquals(Role.LEARNER, c.core(4).role());
    assertEquals(c.node(leader).logIds(), c.node(4).logIds(), "the learner holds the leader's log");
    assertEquals(Set.of(4L), c.core(leader).membership().learnerIds());
    c.propose(leader, "c");
    settle(c);
    assertEquals(c.core(leader).commitIndex(), c.core(4).commitIndex());

    // Alone with the learner, nobody can be elected, and the learner never stands.
    for (long id = 1; id <= 3; id++) if (id != leader) c.node(id).up = false;
    c.tickAll(CONFIG.electionTicksMax() * 4);
    assertTrue(c.emitted(4, Action.SendVote.class).isEmpty(), "a learner never asks for votes");
    assertEquals(Role.LEARNER, c.core(4).role());
  }

  @Test
  void promotingLearnersGoesThroughAJointConfigThatTheLeaderLeavesByItself() {
    CoreCluster c = started(3, 2);
    long leader = c.stableLeader();
    addLearners(c, leader, 4, 5);
    long token = c.changeMembership(leader, voters(1L, 2L, 3L, 4L, 5L), 0);
    settle(c);
    Action.MembershipChanged done = changed(c, leader, token);
    assertEquals(List.of(Set.of(1L, 2L, 3L, 4L, 5L)), done.membership().configs());
    List<Membership> log = membershipsInLog(c, leader);
    Membership joint = log.get(log.size() - 2);
    assertEquals(List.of(Set.of(1L, 2L, 3L), Set.of(1L, 2L, 3L, 4L, 5L)), joint.configs(), "C_old,new first");
    assertEquals(done.logId(), c.core(leader).membershipLogId());
    assertTrue(done.logId().index() <= c.core(leader).commitIndex());
    for (long id = 1; id <= 5; id++) assertEquals(done.membership(), c.core(id).membership(), "node " + id);
    assertEquals(Role.FOLLOWER, c.core(4).role());
  }

  @Test
  void duringAJointConfigNothingCommitsWithoutAMajorityOfTheOldVoters() {
    CoreCluster c = started(3, 3);
    long leader = c.stableLeader();
    addLearners(c, leader, 4, 5);
    // Replace both followers: C_old = {1,2,3}, C_new = {leader, 4, 5}.
    long f1 = leader == 1 ? 2 : 1;
    long f2 = 6 - leader - f1;
    c.node(f1).up = false;
    c.node(f2).up = false;
    long token = c.changeMembership(leader, voters(leader, 4L, 5L), 0);
    settle(c);
    assertNull(c.membershipAnswer(leader, token), "the joint entry cannot commit: the old config has 1 of 3");
    assertTrue(c.core(leader).membership().isJoint());
    long joint = c.core(leader).membershipLogId().index();
    assertTrue(c.core(leader).commitIndex() < joint, "a majority of the new config alone commits nothing");
    c.node(f1).restart();
    settle(c);
    changed(c, leader, token);
    assertEquals(List.of(Set.of(leader, 4L, 5L)), c.core(leader).membership().configs());
  }

  @Test
  void demotedVotersStayAsLearnersAndRepeatingAChangeIsANoOp() {
    CoreCluster c = started(3, 4);
    long leader = c.stableLeader();
    long follower = leader % 3 + 1;
    Set<Long> rest = new java.util.TreeSet<>(Set.of(1L, 2L, 3L));
    rest.remove(follower);
    long token = c.changeMembership(leader, new MembershipCommand.SetVoters(rest), 0);
    settle(c);
    changed(c, leader, token);
    assertEquals(Role.LEARNER, c.core(follower).role());
    assertEquals(Set.of(follower), c.core(leader).membership().learnerIds());

    long entries = c.node(leader).disk.size();
    long again = c.changeMembership(leader, new MembershipCommand.SetVoters(rest), 0);
    assertEquals(c.core(leader).membershipLogId(), changed(c, leader, again).logId());
    Node known = c.core(leader).membership().nodes().get(follower);
    long learnerAgain = c.changeMembership(leader, new MembershipCommand.AddLearner(follower, known), 0);
    changed(c, leader, learnerAgain);
    assertEquals(entries, c.node(leader).disk.size(), "a change to what is already in force appends nothing");
  }

  @Test
  void badRequestsAreRefusedWithTheirReasonAndChangeNothing() {
    CoreCluster c = started(3, 5);
    long leader = c.stableLeader();
    long follower = leader % 3 + 1;
    assertTrue(failed(c, leader, c.changeMembership(leader, new MembershipCommand.SetVoters(Set.of()), 0),
        MembershipFailure.INVALID).message().contains("at least one voter"));
    assertTrue(failed(c, leader, c.changeMembership(leader, voters(1L, 2L, 3L, 9L), 0), MembershipFailure.INVALID)
        .message().contains("[9]"));
    assertTrue(failed(c, leader, c.changeMembership(leader, new MembershipCommand.RemoveNode(9), 0),
        MembershipFailure.INVALID).message().contains("not a member"));
    assertEquals(MembershipFailure.NOT_LEADER,
        failed(c, follower, c.changeMembership(follower, learner(4), 0), MembershipFailure.NOT_LEADER).failure());
    assertEquals(leader, ((Action.MembershipChangeFailed) c.membershipAnswer(follower, c.changeMembership(follower,
        learner(4), 0))).leaderHint());

    long seen = c.core(leader).membershipLogId().index();
    assertTrue(failed(c, leader, c.changeMembership(leader, learner(4), seen + 7), MembershipFailure.REFUSED)
        .message().contains("index " + seen));
    assertEquals(1, membershipsInLog(c, leader).size(), "nothing was appended");
  }

  @Test
  void oneChangeAtATime() {
    CoreCluster c = started(3, 6);
    long leader = c.stableLeader();
    addLearners(c, leader, 4);
    c.hold = m -> m instanceof CoreCluster.AppendReq; // nothing replicates: the joint entry stays uncommitted
    long first = c.changeMembership(leader, voters(1L, 2L, 3L, 4L), 0);
    long second = c.changeMembership(leader, learner(5), 0);
    assertTrue(failed(c, leader, second, MembershipFailure.REFUSED).message().contains("in progress"));
    c.releaseHeld();
    settle(c);
    changed(c, leader, first);
  }

  @Test
  void aLearnerThatHasNotCaughtUpIsNotPromoted() {
    CoreCluster c = started(3, 7);
    long leader = c.stableLeader();
    addLearners(c, leader, 4);
    c.node(4).up = false;
    String[] many = new String[(int) CONFIG.learnerCatchUpEntries() + 5];
    for (int i = 0; i < many.length; i++) many[i] = "w" + i;
    c.propose(leader, many);
    settle(c);
    String why = failed(c, leader, c.changeMembership(leader, voters(1L, 2L, 3L, 4L), 0), MembershipFailure.REFUSED)
        .message();
    assertTrue(why.contains("node 4 has not caught up") && why.contains("behind"), why);
    c.node(4).restart();
    settle(c);
    long token = c.changeMembership(leader, voters(1L, 2L, 3L, 4L), 0);
    settle(c);
    changed(c, leader, token);
  }

  @Test
  void removedIdsAreNeverReusedAndTheRemovedLearnerIsNoLongerReplicatedTo() {
    CoreCluster c = started(3, 8);
    long leader = c.stableLeader();
    addLearners(c, leader, 4);
    long token = c.changeMembership(leader, new MembershipCommand.RemoveNode(4), 0);
    settle(c);
    Action.MembershipChanged done = changed(c, leader, token);
    assertFalse(done.membership().isMember(4));
    assertTrue(done.membership().wasRemoved(4));
    int sentBefore = c.appendsSent(leader, 4).size();
    c.tickAll(CONFIG.heartbeatTicks() * 4);
    assertEquals(sentBefore, c.appendsSent(leader, 4).size(), "the removed node is not contacted");
    assertTrue(failed(c, leader, c.changeMembership(leader, learner(4), 0), MembershipFailure.REFUSED)
        .message().contains("never reused"));
  }

  @Test
  void theRemovedIdsSurviveASnapshotAndARestart() {
    CoreCluster c = started(3, 9);
    long leader = c.stableLeader();
    addLearners(c, leader, 4);
    long token = c.changeMembership(leader, new MembershipCommand.RemoveNode(4), 0);
    settle(c);
    changed(c, leader, token);
    c.node(4).up = false; // its operator shuts it down
    c.propose(leader, "x");
    settle(c);
    for (long id = 1; id <= 3; id++) c.takeSnapshot(id, 0);
    for (long id = 1; id <= 3; id++) c.node(id).restart();
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    long next = c.stableLeader();
    c.propose(next, "y");
    settle(c);
    assertTrue(c.core(next).membership().wasRemoved(4));
    failed(c, next, c.changeMembership(next, learner(4), 0), MembershipFailure.REFUSED);
  }

  @Test
  void removingAVoterTakesItOutOfTheClusterAndItStopsCampaigning() {
    CoreCluster c = started(3, 10);
    long leader = c.stableLeader();
    long gone = leader % 3 + 1;
    long token = c.changeMembership(leader, new MembershipCommand.RemoveNode(gone), 0);
    settle(c);
    Action.MembershipChanged done = changed(c, leader, token);
    assertEquals(2, done.membership().voterIds().size());
    assertFalse(done.membership().isMember(gone));
    assertTrue(c.core(gone).membership().wasRemoved(gone), "the leaving node learnt it left before it was let go");
    c.tickAll(CONFIG.electionTicksMax() * 4);
    assertEquals(Role.LEARNER, c.core(gone).role());
    assertEquals(leader, c.stableLeaderAmong(Set.of(1L, 2L, 3L)));
    c.propose(leader, "after");
    settle(c);
    assertEquals(c.core(leader).commitIndex(), c.core(6 - leader - gone).commitIndex());
  }

  @Test
  void aRemovedVoterThatMissedItsRemovalIsToldOnItsNextVoteRequest() {
    CoreCluster c = started(3, 11);
    long leader = c.stableLeader();
    long gone = leader % 3 + 1;
    c.node(gone).up = false;
    long token = c.changeMembership(leader, new MembershipCommand.RemoveNode(gone), 0);
    settle(c);
    changed(c, leader, token);
    c.node(gone).restart();
    c.tickAll(CONFIG.electionTicksMax() * 6);
    assertTrue(c.core(gone).removedFromCluster(), "a member told it");
    int asked = c.emitted(gone, Action.SendVote.class).size();
    c.tickAll(CONFIG.electionTicksMax() * 6);
    assertEquals(asked, c.emitted(gone, Action.SendVote.class).size(), "it no longer campaigns");
    assertEquals(leader, c.stableLeaderAmong(Set.of(leader, 6 - leader - gone)), "nobody was disturbed");
  }

  @Test
  void aLeaderRemovedFromTheVotersHandsOverOnceTheChangeCommitsAndStepsDown() {
    CoreCluster c = started(3, 12);
    long leader = c.stableLeader();
    long term = c.core(leader).vote().term();
    Set<Long> rest = new java.util.TreeSet<>(Set.of(1L, 2L, 3L));
    rest.remove(leader);
    long token = c.changeMembership(leader, new MembershipCommand.SetVoters(rest), 0);
    settle(c);
    changed(c, leader, token);
    c.tickAll(CONFIG.electionTicksMax() * 3);
    assertFalse(c.emitted(leader, Action.SendTransferLeader.class).isEmpty(), "it handed leadership over");
    long next = c.stableLeaderAmong(rest);
    assertNotEquals(0, next);
    assertTrue(rest.contains(next));
    assertTrue(c.core(next).vote().term() > term);
    assertEquals(Role.LEARNER, c.core(leader).role(), "the old leader stays as a learner");
    c.propose(next, "served");
    settle(c);
    assertEquals(c.core(next).commitIndex(), c.core(leader).commitIndex());
  }

  @Test
  void aLeaderElectedInAJointConfigFinishesTheChange() {
    CoreCluster c = started(3, 13);
    long leader = c.stableLeader();
    addLearners(c, leader, 4);
    // The joint entry commits, but the leader crashes before C_new reaches anyone.
    c.drop = m -> m.from() == leader && m instanceof CoreCluster.AppendReq a
        && a.request().entries().stream().anyMatch(e -> e.payload() instanceof EntryPayload.MembershipChange mc
            && !mc.membership().isJoint());
    long token = c.changeMembership(leader, voters(1L, 2L, 3L, 4L), 0);
    settle(c);
    assertNull(c.membershipAnswer(leader, token));
    c.isolated.add(leader);
    c.drop = m -> false;
    Set<Long> survivors = new java.util.TreeSet<>(Set.of(1L, 2L, 3L, 4L));
    survivors.remove(leader);
    for (long id : survivors) assertTrue(c.core(id).membership().isJoint(), "node " + id + " is in the joint config");
    c.tickAll(CONFIG.electionTicksMax() * 4);
    long next = c.stableLeaderAmong(survivors);
    assertNotEquals(0, next);
    settle(c);
    assertEquals(List.of(Set.of(1L, 2L, 3L, 4L)), c.core(next).membership().configs(), "the new leader left it");
    assertTrue(c.core(next).membershipLogId().index() <= c.core(next).commitIndex());
    assertNotEquals(Role.LEADER, c.core(leader).role(), "cut off, the old leader stepped down");
    failed(c, leader, token, MembershipFailure.OUTCOME_UNKNOWN); // it cannot know whether the change completes
  }

  @Test
  void aFollowerThatLostItsDiskIsReportedAndFedNoMore() {
    CoreCluster c = started(3, 14);
    long leader = c.stableLeader();
    long follower = leader % 3 + 1;
    c.propose(leader, "a", "b", "c");
    settle(c);
    long acknowledged = c.core(leader).commitIndex();
    c.wipe(follower);
    settle(c);
    List<Action.PeerLostLog> reports = c.emitted(leader, Action.PeerLostLog.class);
    assertEquals(1, reports.size());
    assertEquals(follower, reports.get(0).peer());
    assertTrue(reports.get(0).acknowledged() >= acknowledged);
    assertTrue(c.core(leader).peerProgress().get(follower).lostLog());
    c.propose(leader, "d");
    settle(c);
    assertTrue(c.node(follower).disk.isEmpty(), "the leader sends no entries to a node that lost its log");
  }

  @Test
  void aChangeAskedBeforeTheLeaderCommittedInItsTermWaitsForThatCommit() {
    CoreCluster c = CoreCluster.fresh(3, 15);
    c.awaitLeader(CONFIG.electionTicksMax() * 3);
    long leader = c.stableLeader();
    c.node(leader).up = false;
    long next = 0;
    // Tick until someone wins, and ask it before its blank entry can commit.
    c.hold = m -> m instanceof CoreCluster.AppendResp;
    for (int i = 0; i < CONFIG.electionTicksMax() * 6 && next == 0; i++) {
      c.tickAll(1);
      for (long id = 1; id <= 3; id++) if (id != leader && c.core(id).role() == Role.LEADER) next = id;
    }
    assertNotEquals(0, next);
    c.addNode(4);
    long token = c.changeMembership(next, learner(4), 0);
    assertNull(c.membershipAnswer(next, token), "it waits for an entry of the leader's term to commit");
    c.releaseHeld();
    settle(c);
    changed(c, next, token);
  }
}
