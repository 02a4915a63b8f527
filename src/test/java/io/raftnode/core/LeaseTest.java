package io.raftnode.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.model.Vote;
import io.raftnode.model.VoteRequest;
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
