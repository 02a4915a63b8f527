package io.raftnode.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lease against the vote-refusal window it relies on (thesis §6.4.1), on a timeline in whole units of real
 * time. The leader's clock ticks every {@code leaderPeriod} units, the followers' every {@code followerPeriod}
 * (at a phase of their own); at an instant where both tick, the followers tick first. At time 0 the leader ticks,
 * sends a read round and both followers answer it at once; from then on it hears nothing. After every tick one
 * follower is asked for a real vote at the next term (what the other follower sends once its pre-vote passed) and
 * the leader for a lease read. No lease read may be served at or after the first instant the vote is granted:
 * from then on a new leader can be elected and commit writes the old leader does not know.
 */
class LeaseTest {

  private static final int MIN = 10;

  private static CoreConfig withDrift(int driftTicks) {
    return new CoreConfig(2, MIN, 2 * MIN, 64, 1 << 20, 4, driftTicks);
  }

  /** When the vote was first granted, whether a lease read was served at that instant, the last one served. */
  private record Outcome(long phase, long grantedAt, boolean leaseHeldThen, long lastServedAt) {}

  /**
   * The race in full, on one timeline in units of real time: no drift bound, every clock ticks every 10 units, the
   * leader (node 1) at 0, 10, 20, ... and the followers half a period later. Election timeouts are exactly min, so
   * a follower stands as soon as its refusal ends; node 3's vote requests are lost, so node 2 is the one elected.
   * At 0 the leader confirms a read with a round both followers answer, then it is cut off (clients still reach
   * it). The followers heard that round between their ticks at -5 and 5, so their 10th tick after it, at 95, ends
   * their refusal: node 2 is elected and commits a write at 95. The lease, counted from the round's send time, must
   * be over by then; it lasts min - 1 ticks, to 90 (with min ticks it lasted to 100 and served the old value).
   */
  @Test
  void withoutDriftTheOldLeadersLeaseEndsBeforeANewLeaderCommits() {
    CoreCluster c = CoreCluster.fresh(3, 13, new CoreConfig(2, MIN, MIN + 1, 64, 1 << 20, 4, 0));
    c.drop = m -> m instanceof CoreCluster.VoteReq && m.from() != 1; // equal timeouts: let node 1 win alone
    c.awaitLeader(MIN * 4);
    c.drop = m -> false;
    assertEquals(1L, c.stableLeader());
    c.propose(1, "v1");
    long oldIndex = c.core(1).commitIndex();
    for (long t = -10; t < 0; t++) tickAt(c, t);
    tickAt(c, 0);
    c.step(1, new Event.ReadIndex(List.of(1L)));
    c.deliverAll();
    assertEquals(1, c.emitted(1, Action.ReadIndexReady.class).size(), "both followers answered the round at 0");
    c.isolated.add(1L);
    c.drop = m -> m instanceof CoreCluster.VoteReq && m.from() == 3;

    long lastServed = -1;
    long electedAt = -1;
    long newIndex = -1;
    for (long t = 1; t <= 100 && electedAt < 0; t++) {
      tickAt(c, t);
      if (c.core(2).role() == Role.LEADER) {
        electedAt = t;
        c.propose(2, "v2");
        newIndex = c.core(2).commitIndex();
      }
      boolean served = c.step(1, new Event.LeaseRead(100 + t)).stream().anyMatch(a -> a instanceof Action.ReadIndexReady);
      if (served) lastServed = t;
    }
    assertEquals(95, electedAt, "node 2 is elected at the first tick after the followers' refusal ended");
    assertTrue(newIndex > oldIndex, "and commits a write at once");
    assertEquals(Role.LEADER, c.core(1).role(), "the old leader has not noticed: check-quorum needs 110");
    assertEquals(89, lastServed, "the old leader's lease ended at its tick at 90, before the write at 95 (a read "
        + "served at 95 or later answers index " + oldIndex + ", without the write at " + newIndex + ")");
  }

  /** The tick events due at {@code t}: the leader's at multiples of 10, the followers' (node 3 first) 5 later. */
  private static void tickAt(CoreCluster c, long t) {
    if (Math.floorMod(t, 10) == 5) {
      c.step(3, Event.Tick.INSTANCE);
      c.step(2, Event.Tick.INSTANCE);
    }
    if (Math.floorMod(t, 10) == 0) c.step(1, Event.Tick.INSTANCE);
    c.deliverAll();
  }

  @Test
  void withoutDriftAndIdenticalClocksTheLeaseEndsBeforeAFollowerThatAnsweredCanVote() {
    List<Outcome> outcomes = everyPhase(withDrift(0), 10, 10);
    for (Outcome o : outcomes) {
      assertFalse(o.leaseHeldThen(), "a lease read was served when a follower that answered the lease's round "
          + "could already vote for a new leader: " + o);
    }
    assertTrue(outcomes.stream().anyMatch(o -> o.grantedAt() - o.lastServedAt() <= 10),
        "in the worst phase the lease ends within one leader tick of the first vote: " + outcomes);
  }

  @Test
  void aFollowerClockFastByTheWholeDriftBoundStillRefusesUntilTheLeaseEnded() {
    // Drift 3 of min 10: over the follower's min - 1 ticks the leader counts min - 1 - 3, i.e. 9 follower periods
    // of 20 units last exactly as long as 6 leader periods of 30 units. The bound is used in full.
    List<Outcome> outcomes = everyPhase(withDrift(3), 30, 20);
    for (Outcome o : outcomes) {
      assertFalse(o.leaseHeldThen(), "a lease read was served when a follower whose clock runs fast by the drift "
          + "bound could already vote for a new leader: " + o);
    }
    assertTrue(outcomes.stream().anyMatch(o -> o.grantedAt() - o.lastServedAt() <= 30),
        "in the worst phase the lease ends within one leader tick of the first vote: " + outcomes);
  }

  @Test
  void catchingUpTheClockMovesTheLeaseButNoTimeout() {
    CoreConfig config = withDrift(0);
    CoreCluster c = CoreCluster.fresh(3, 12, config);
    c.awaitLeader(config.electionTicksMax() * 4);
    c.tickAll(config.heartbeatTicks() * 2);
    long leader = c.stableLeader();
    long voter = leader == 1 ? 2 : 1;
    long other = 6 - leader - voter;
    c.step(leader, new Event.ReadIndex(List.of(1L)));
    c.deliverAll();
    c.isolated.add(leader);
    // A follower told of the real time before lease reads, many times a period: its refusal still counts Ticks.
    for (int tick = 1; tick < config.electionTicksMin(); tick++) {
      for (int i = 0; i < 5; i++) c.step(voter, new Event.ClockCaughtUp(1));
      c.step(voter, new Event.Tick(0));
    }
    assertFalse(granted(c.step(voter, new Event.VoteRequestReceived(1_000_000, voteFrom(c, other, voter)))),
        "min - 1 Ticks after the contact, however often the clock caught up");
    assertEquals(Role.FOLLOWER, c.core(voter).role(), "nor did its election timer run out");
    // The leader's lease ends by the caught-up clock alone, without a Tick.
    assertTrue(c.step(leader, new Event.LeaseRead(2)).stream().anyMatch(a -> a instanceof Action.ReadIndexReady));
    c.step(leader, new Event.ClockCaughtUp(config.leaseTicks()));
    assertTrue(c.step(leader, new Event.LeaseRead(3)).stream().noneMatch(a -> a instanceof Action.ReadIndexReady),
        "the lease ran out on the caught-up clock");
  }

  private static List<Outcome> everyPhase(CoreConfig config, long leaderPeriod, long followerPeriod) {
    List<Outcome> outcomes = new ArrayList<>();
    for (long phase = 0; phase < followerPeriod; phase++) {
      outcomes.add(run(config, leaderPeriod, followerPeriod, phase));
    }
    return outcomes;
  }

  /** The followers tick at {@code phase + k * followerPeriod}, the leader at {@code k * leaderPeriod}. */
  private static Outcome run(CoreConfig config, long leaderPeriod, long followerPeriod, long phase) {
    CoreCluster c = CoreCluster.fresh(3, 11, config);
    c.awaitLeader(config.electionTicksMax() * 4);
    c.tickAll(config.heartbeatTicks() * 2);
    long leader = c.stableLeader();
    long voter = leader == 1 ? 2 : 1;
    long other = 6 - leader - voter;
    for (long t = -Math.max(leaderPeriod, followerPeriod); t <= 0; t++) {
      tickDue(c, t, leader, leaderPeriod, followerPeriod, phase);
      c.deliverAll();
    }
    c.step(leader, new Event.ReadIndex(List.of(1L)));
    c.deliverAll();
    assertEquals(1, c.emitted(leader, Action.ReadIndexReady.class).size(), "the round was answered by a quorum");
    c.isolated.add(leader); // from here on everything the leader sends is lost, yet it keeps its office for now
    long lastServed = -1;
    long token = 2;
    for (long t = 1; t < 100 * (leaderPeriod + followerPeriod); t++) {
      if (!tickDue(c, t, leader, leaderPeriod, followerPeriod, phase)) continue;
      boolean granted = granted(c.step(voter, new Event.VoteRequestReceived(1_000_000 + t, voteFrom(c, other, voter))));
      assertEquals(Role.LEADER, c.core(leader).role(), "the old leader does not know yet");
      boolean served = c.step(leader, new Event.LeaseRead(token++)).stream().anyMatch(a -> a instanceof Action.ReadIndexReady);
      if (served) lastServed = t;
      if (granted) return new Outcome(phase, t, served, lastServed);
      c.deliverAll();
    }
    throw new AssertionError("node " + voter + " never granted the vote");
  }

  /** Steps the tick events due at {@code t}, the followers' first; true when there were any. */
  private static boolean tickDue(CoreCluster c, long t, long leader, long leaderPeriod, long followerPeriod, long phase) {
    boolean followers = Math.floorMod(t - phase, followerPeriod) == 0;
    boolean leaders = Math.floorMod(t, leaderPeriod) == 0;
    if (followers) {
      for (CoreCluster.Sim n : c.nodes.values()) if (n.id != leader) c.step(n, Event.Tick.INSTANCE);
    }
    if (leaders) c.step(leader, Event.Tick.INSTANCE);
    return followers || leaders;
  }

  /** A real vote at the next term from {@code candidate}, with its log, as it sends once its pre-vote passed. */
  private static VoteRequest voteFrom(CoreCluster c, long candidate, long voter) {
    return new VoteRequest(Vote.of(c.core(voter).vote().term() + 1, candidate, false), c.core(candidate).lastLogId(),
        false, false);
  }

  private static boolean granted(List<Action> actions) {
    return actions.stream().anyMatch(a -> a instanceof Action.ReplyVote r && r.response().voteGranted());
  }
}
