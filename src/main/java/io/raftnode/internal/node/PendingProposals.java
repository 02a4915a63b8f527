package io.raftnode.internal.node;

import io.raftnode.Applied;
import io.raftnode.ProposalFailedException;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.vertx.core.Promise;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * Client proposals the leader accepted, by log index, until the entry at that index applies (before that they wait
 * in {@link PendingCalls} by token). A proposal completes only if the entry that applies at its index is the very
 * entry it was accepted as (same LogId); another entry there means it was never applied.
 */
final class PendingProposals {
  private record Accepted(LogId logId, Promise<Applied> promise, long deadlineMs) {}

  private final TreeMap<Long, Accepted> byIndex = new TreeMap<>();

  /** The proposal whose promise is {@code promise} was appended at {@code logId}; it fails unknown after the deadline. */
  void accepted(LogId logId, Promise<Applied> promise, long deadlineMs) {
    byIndex.put(logId.index(), new Accepted(logId, promise, deadlineMs));
  }

  /** The entry at {@code entry.index()} applied with {@code result} (null for entries with no client). */
  void applied(Entry entry, byte[] result) {
    if (byIndex.isEmpty()) return; // a follower's entries have no client here
    Accepted accepted = byIndex.remove(entry.index());
    if (accepted == null) return;
    if (accepted.logId().equals(entry.logId())) {
      accepted.promise().tryComplete(new Applied(entry.index(), result));
    } else {
      accepted.promise().tryFail(ProposalFailedException.notApplied(entry.index()));
    }
  }

  /** Fails every proposal whose deadline has passed: its outcome is unknown. */
  void expire(long nowMs, long timeoutMs) {
    for (Iterator<Accepted> it = byIndex.values().iterator(); it.hasNext(); ) {
      Accepted accepted = it.next();
      if (accepted.deadlineMs() <= nowMs) {
        it.remove();
        accepted.promise().tryFail(ProposalFailedException.timedOut(accepted.logId().index(), timeoutMs));
      }
    }
  }

  /** Proposals accepted and not yet applied or failed. */
  int size() {
    return byIndex.size();
  }

  void failAll() {
    byIndex.values().forEach(a -> a.promise().tryFail(ProposalFailedException.stopped()));
    byIndex.clear();
  }
}
