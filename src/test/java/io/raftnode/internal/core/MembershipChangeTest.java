package io.raftnode.internal.core;

import static io.raftnode.internal.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.Vote;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The membership is the last membership entry in the log, effective as soon as it is appended. */
class MembershipChangeTest {

  private static Membership voters(long... ids) {
    Map<Long, Node> nodes = new TreeMap<>();
    for (long id : ids) nodes.put(id, new Node("n" + id, ""));
    return Membership.ofVoters(nodes);
  }

  private static Entry change(LogId id, Membership m) {
    return new Entry(id, new EntryPayload.MembershipChange(m));
  }

  @Test
  void truncatedMembershipEntryIsForgotten() {
    Entry boot = change(LogId.of(1, 1, 1), voters(1, 2, 3));
    Entry grow = change(LogId.of(1, 1, 2), voters(1, 2, 3, 4, 5));
    RaftCore f = new RaftCore(CONFIG, 2, Vote.of(1, 1, true), List.of(boot, grow), new Random(2));
    assertEquals(Set.of(1L, 2L, 3L, 4L, 5L), f.membership().voterIds());

    Entry other = new Entry(LogId.of(2, 3, 2), EntryPayload.Blank.INSTANCE);
    f.step(new Event.AppendEntriesReceived(1, new AppendEntriesRequest(Vote.of(2, 3, true), boot.logId(), List.of(other), null)));
    assertEquals(Set.of(1L, 2L, 3L), f.membership().voterIds());
  }

  @Test
  void learnerBecomesFollowerWhenPromotedAndLeaderReplicatesToNewMembers() {
    TreeMap<Long, Node> nodes = new TreeMap<>();
    for (long id = 1; id <= 2; id++) nodes.put(id, new Node("n" + id, ""));
    Membership withLearner = new Membership(List.of(Set.of(1L)), nodes);
    List<Entry> boot = List.of(change(LogId.of(0, 0, 1), withLearner));
    CoreCluster c = new CoreCluster(CONFIG, Map.of(), Map.of(1L, boot, 2L, boot), 5);
    assertEquals(Role.LEARNER, c.core(2).role());

    c.awaitLeader(CONFIG.electionTicksMax());
    assertEquals(Role.LEADER, c.core(1).role());
    assertEquals(c.node(1).logIds(), c.node(2).logIds(), "learners are replicated to");

    c.step(1, new Event.Propose(List.of(new Event.Proposal(1, new EntryPayload.MembershipChange(voters(1, 2))))));
    c.deliverAll();
    c.tickAll(CONFIG.heartbeatTicks() * 2);
    assertEquals(Role.FOLLOWER, c.core(2).role());
    assertEquals(3, c.core(2).commitIndex());
  }
}
