package io.raftnode.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * A leader's lease (thesis §6.4.1). A follower that answered a heartbeat refuses votes for a minimum election
 * timeout after receiving it (stickiness), so no other leader can be elected before the heartbeat's send time plus
 * that timeout. The lease therefore runs from the send time of the newest request a quorum answered, for the
 * minimum election timeout less the clock drift bound. Time here is {@link CoreState#clock}, which counts the real
 * ticks that passed, so an event-loop stall shortens the lease instead of stretching it.
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
  void tick() {
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
    return s.clock < sent.getValue() + s.config.electionTicksMin() - s.config.leaseDriftTicks();
  }
}
