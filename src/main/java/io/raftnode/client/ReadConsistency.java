package io.raftnode.client;

/** How fresh a {@link RaftKvClient#get read} must be (README, "Client commands", has the details). */
public enum ReadConsistency {
  /** Confirmed with the leader (one heartbeat round): the read sees every write acknowledged before it began. */
  LINEARIZABLE,
  /** Answered by the leader without a round trip while its lease holds; as fresh as LINEARIZABLE unless clocks misbehave. */
  LEASE,
  /** Answered at once by the node called, which may lag behind the leader. */
  STALE
}
