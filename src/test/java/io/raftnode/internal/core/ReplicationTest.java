package io.raftnode.internal.core;

import static io.raftnode.internal.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationTest {

  private static long elect(CoreCluster c) {
    c.awaitLeader(CONFIG.electionTicksMax() * 4);
    return c.stableLeader();
  }

  private static List<String> commands(List<Entry> applied) {
    List<String> out = new ArrayList<>();
    for (Entry e : applied) {
      if (e.payload() instanceof EntryPayload.Normal n) out.add(new String(n.data(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void proposalsCommitAndEveryNodeAppliesTheSameEntriesInOrder() {
    CoreCluster c = CoreCluster.fresh(3, 21);
    long leader = elect(c);
    c.propose(leader, "x=1", "y=2");
    c.propose(leader, "x=3");
    c.tickAll(CONFIG.heartbeatTicks() * 2); // followers learn the commit index from heartbeats

    long last = c.core(leader).lastLogId().index();
    assertEquals(5, last, "bootstrap membership, blank, three commands");
    for (CoreCluster.Sim n : c.nodes.values()) {
      assertEquals(last, n.core.commitIndex(), "node " + n.id);
      assertEquals(last, n.core.appliedIndex(), "node " + n.id);
      assertEquals(c.node(leader).applied, n.applied, "node " + n.id);
      assertEquals(List.of("x=1", "y=2", "x=3"), commands(n.applied));
    }
  }

  @Test
  void newLeaderStartsItsTermWithABlankEntry() {
    CoreCluster c = CoreCluster.fresh(3, 22);
    long leader = elect(c);
    long term = c.core(leader).vote().term();
    Action.AppendToLog first = c.node(leader).history.stream()
        .filter(a -> a instanceof Action.AppendToLog)
        .map(a -> (Action.AppendToLog) a)
        .findFirst()
        .orElseThrow();
    assertEquals(List.of(new Entry(LogId.of(term, leader, 2), EntryPayload.Blank.INSTANCE)), first.entries());
    assertEquals(2, c.core(leader).commitIndex(), "the blank commits, and the bootstrap entry with it");
  }

  @Test
  void oneProposeIsOneBatchOnDisk() {
    CoreCluster c = CoreCluster.fresh(3, 23);
    long leader = elect(c);
    List<Event.Proposal> proposals = new ArrayList<>();
    for (int i = 0; i < 10; i++) proposals.add(new Event.Proposal(100 + i, CoreCluster.data("c" + i)));
    List<Action> actions = c.core(leader).step(new Event.Propose(proposals));

    Action.AppendToLog write = assertInstanceOf(Action.AppendToLog.class, actions.get(0));
    assertEquals(10, write.entries().size());
    assertEquals(1, actions.stream().filter(a -> a instanceof Action.AppendToLog).count());
    long term = c.core(leader).vote().term();
    for (int i = 0; i < 10; i++) {
      assertEquals(new Action.ProposalAccepted(100 + i, LogId.of(term, leader, 3 + i)), actions.get(1 + i));
    }
    assertTrue(actions.subList(11, actions.size()).stream().allMatch(a -> a instanceof Action.SendAppend));
    assertEquals(2, actions.size() - 11, "one request per follower carries the whole batch");
  }

  @Test
  void followerRejectsProposalsAndNamesTheLeader() {
    CoreCluster c = CoreCluster.fresh(3, 24);
    long leader = elect(c);
    long follower = leader == 1 ? 2 : 1;
    List<Action> actions = c.step(follower, new Event.Propose(List.of(new Event.Proposal(7, CoreCluster.data("x")))));
    assertEquals(List.of(new Action.ProposalRejected(7, leader)), actions);
  }

  @Test
  void pipelineNeverExceedsMaxInflight() {
    CoreConfig config = new CoreConfig(2, 10, 20, 1, 1 << 20, 3);
    CoreCluster c = CoreCluster.fresh(3, 25, config);
    long leader = elect(c);
    long slow = leader == 2 ? 3 : 2;
    c.tickAll(config.heartbeatTicks()); // the heartbeat answer moves the follower to REPLICATE
    assertEquals(Progress.State.REPLICATE, c.core(leader).progressOf(slow).state());

    c.hold = m -> m instanceof CoreCluster.AppendReq a && a.to() == slow && !a.request().entries().isEmpty();
    for (int i = 0; i < 20; i++) {
      c.propose(leader, "c" + i);
      assertTrue(c.core(leader).progressOf(slow).inflightCount() <= 3);
    }
    assertEquals(3, c.held.size(), "three single-entry requests in flight, the rest wait");
    c.releaseHeld();
    c.tickAll(config.heartbeatTicks() * 2);
    assertEquals(c.node(leader).logIds(), c.node(slow).logIds());
    assertEquals(22, c.core(slow).commitIndex());
  }

  @Test
  void pipelineStopsAtTheByteWindowToo() {
    // Room for 64 requests by count, but the outstanding payload bytes stop it after three 4-byte entries.
    CoreConfig config = new CoreConfig(2, 10, 20, 1, 1 << 20, 64, 1, 10);
    CoreCluster c = CoreCluster.fresh(3, 26, config);
    long leader = elect(c);
    long slow = leader == 2 ? 3 : 2;
    c.tickAll(config.heartbeatTicks());
    assertEquals(Progress.State.REPLICATE, c.core(leader).progressOf(slow).state());

    c.hold = m -> m instanceof CoreCluster.AppendReq a && a.to() == slow && !a.request().entries().isEmpty();
    for (int i = 0; i < 20; i++) c.propose(leader, "c" + i % 10 + "xx"); // 4-byte commands
    assertEquals(3, c.held.size(), "4 + 4 bytes are below the 10-byte window, a third request reaches it");
    assertEquals(12, c.core(leader).progressOf(slow).inflightBytes());
    c.releaseHeld();
    c.tickAll(config.heartbeatTicks() * 4);
    assertEquals(c.node(leader).logIds(), c.node(slow).logIds(), "the rest follows as answers come back");
  }

  @Test
  void batchesAreBoundedByEntriesAndBytesButAlwaysCarryOneEntry() {
    RaftLog log = new RaftLog(List.of());
    for (int i = 1; i <= 6; i++) {
      int size = i == 4 ? 100 : 4;
      log.append(List.of(new Entry(LogId.of(1, 1, i), new EntryPayload.Normal(new byte[size]))));
    }
    assertEquals(2, log.slice(1, 10, 10).size(), "4 + 4 bytes fit in 10, a third does not");
    assertEquals(1, log.slice(4, 10, 10).size(), "an entry larger than the limit still goes alone");
    assertEquals(2, log.slice(1, 2, 1 << 20).size());
    assertEquals(List.of(), log.slice(7, 10, 10));
  }
}
