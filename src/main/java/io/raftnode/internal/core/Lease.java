package io.raftnode.internal.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * A leader's lease (thesis §6.4.1): while it holds, no other leader can have been elected, so a read can be
 * answered without a round trip. It runs from the send time of the newest request a quorum answered, for
 * {@link CoreConfig#leaseTicks()} = min - 1 - D ticks of the leader's {@link CoreState#clock}, where min is the
 * minimum election timeout and D the drift bound, both in ticks.
 *
 * <p>Why that is inside the followers' vote-refusal window, with p_L the leader's tick period and p_F a follower's:
 * <ul>
 *   <li>The request went out at time t_s with the clock at C. The clock never runs ahead of real time, so t_s is at
 *       least C periods after the clock's origin; before a lease read the node hands over the ticks already due
 *       ({@link Event.ClockCaughtUp}), so the clock then counts every whole period passed. The lease holds while
 *       clock < C + min - 1 - D, so it is trusted only before t_s + (min - 1 - D) * p_L.</li>
 *   <li>A follower receives the request (at or after t_s) between its Ticks T and T + 1 and refuses votes until its
 *       Tick T + min ({@link CoreState#heardFromLeaderRecently}); its election timer, reset then, runs out no
 *       earlier. Ticks are timer firings at least p_F apart and T + 1 comes after the receipt, so the first vote it
 *       can grant comes more than (min - 1) * p_F after t_s: the period the request arrived in was already under way
 *       and does not count in full. That is the tick the lease gives up.</li>
 *   <li>A new leader needs votes from a majority, which includes a follower that answered the request.</li>
 * </ul>
 * So the lease ends strictly before another leader can be elected whenever (min - 1 - D) * p_L <= (min - 1) * p_F,
 * that is while no follower's clock gains more than D ticks on the leader's over (min - 1) of its own ticks. With
 * D = 0 clocks of one rate are safe. A stall of the leader's event loop shortens the lease (the clock counts the real
 * ticks that passed); a follower that restarts forgets its contact, which the bound does not cover.
 */
final class Lease {
  private final CoreState s;
  /** Request id -> the clock when requests from that id on started going out; the floor entry of an id is its send time. */
  private final TreeMap<Long, Long> clockAtRpc = new TreeMap<>();
  private boolean forfeited;

  Lease(CoreState s) {
    this.s = s;
    clockAtRpc.put(s.peekRpcId(), s.clock);
  }

  /** Called after the clock moved: requests from now on are sent at the new time. */
  void clockMoved() {
    clockAtRpc.put(s.peekRpcId(), s.clock);
  }

  void forfeit() {
    forfeited = true;
  }

  /** A quorum has answered up to {@code quorumRpcId}: send times of older requests are no longer needed. */
  void confirmed(long quorumRpcId) {
    Long floor = clockAtRpc.floorKey(quorumRpcId);
    if (floor != null) clockAtRpc.headMap(floor).clear();
  }

  /** True while no other leader can have been elected; {@code quorumRpcId} as in {@link ReadRounds#confirm}. */
  boolean holds(long quorumRpcId) {
    if (forfeited || quorumRpcId == 0) return false;
    if (quorumRpcId == Long.MAX_VALUE) return true; // a single voter: nobody else can be elected
    Map.Entry<Long, Long> sent = clockAtRpc.floorEntry(quorumRpcId);
    if (sent == null) return false;
    return s.clock < sent.getValue() + s.config.leaseTicks();
  }
}
