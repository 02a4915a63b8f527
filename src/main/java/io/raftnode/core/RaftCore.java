package io.raftnode.core;

import io.raftnode.model.Entry;
import io.raftnode.model.LogId;
import io.raftnode.model.Membership;
import io.raftnode.model.Vote;
import java.util.List;
import java.util.Random;

/**
 * The Raft algorithm as a deterministic state machine: {@code step(event) -> actions}. No threads, no clock, no
 * I/O: time arrives as {@link Event.Tick}, randomness from the {@link Random} handed in, and every effect leaves as
 * an {@link Action} for the node to carry out. Not thread safe: one thread (the node's event loop) owns it.
 */
public final class RaftCore {

  /**
   * @param config  tuning
   * @param selfId  this node's id (> 0)
   * @param vote    the durable vote restored from disk (Vote.INITIAL for a new node)
   * @param log     the durable log restored from disk, contiguous, in index order, starting at index 1
   * @param random  the only source of randomness (seeded in simulations)
   */
  public RaftCore(CoreConfig config, long selfId, Vote vote, List<Entry> log, Random random) {
    throw new IllegalStateException("not yet written");
  }

  /** Handle one event and return what the node must do, in order. */
  public List<Action> step(Event event) {
    throw new IllegalStateException("not yet written");
  }

  public long selfId() {
    throw new IllegalStateException("not yet written");
  }

  public Role role() {
    throw new IllegalStateException("not yet written");
  }

  public Vote vote() {
    throw new IllegalStateException("not yet written");
  }

  /** The leader this node follows or is (0 = unknown). */
  public long leaderId() {
    throw new IllegalStateException("not yet written");
  }

  public long commitIndex() {
    throw new IllegalStateException("not yet written");
  }

  /** Highest index handed to the node in {@link Action.ApplyEntries}. */
  public long appliedIndex() {
    throw new IllegalStateException("not yet written");
  }

  /** The last entry's id, or null for an empty log. */
  public LogId lastLogId() {
    throw new IllegalStateException("not yet written");
  }

  /** The effective membership: the last membership entry in the log (empty when there is none). */
  public Membership membership() {
    throw new IllegalStateException("not yet written");
  }

  /** The entry at {@code index}, or null when the log does not hold it. */
  public Entry entryAt(long index) {
    throw new IllegalStateException("not yet written");
  }
}
