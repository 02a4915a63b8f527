package io.raftnode.node;

import io.raftnode.model.Entry;
import io.raftnode.model.LogId;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Client proposals waiting for an outcome: first by token (queued for the next batch, then handed to the core
 * until it accepts or rejects them), then by log index (until the entry at that index applies). A proposal
 * completes only if the entry that applies at its index is the very entry it was accepted as (same LogId); another
 * entry there means it was never applied.
 *
 * <p>When the node stops, what a proposal's client is told depends on how far it got: one still queued never
 * reached the core and is certainly not applied; one handed to the core may be in the log and on followers, so
 * its outcome is unknown.
 */
final class PendingProposals {
  private record Waiting(Promise<Applied> promise, long deadlineMs) {}

  private record Accepted(LogId logId, Promise<Applied> promise, long deadlineMs) {}

  private final Map<Long, Waiting> byToken = new HashMap<>();
  private final TreeMap<Long, Accepted> byIndex = new TreeMap<>();
  /** Tokens up to this one have been handed to the core (tokens only grow). */
  private long handedUpTo;
  private boolean closed;

  void add(long token, Promise<Applied> promise, long deadlineMs) {
    byToken.put(token, new Waiting(promise, deadlineMs));
  }

  /** The proposals with tokens up to {@code token} are being handed to the core (one Propose event). */
  void handedToCore(long token) {
    handedUpTo = Math.max(handedUpTo, token);
  }

  void accepted(long token, LogId logId) {
    Waiting waiting = byToken.remove(token);
    if (waiting != null) byIndex.put(logId.index(), new Accepted(logId, waiting.promise(), waiting.deadlineMs()));
  }

  void rejected(long token, long leaderHint) {
    Waiting waiting = byToken.remove(token);
    if (waiting != null) waiting.promise().tryFail(new NotLeaderException(leaderHint));
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

  /**
   * The node stops: fails every proposal (see the class comment for what each is told) and takes no more; the
   * caller must drop its queued batch, which the core then never sees.
   */
  void failAll(String why) {
    closed = true;
    byToken.forEach((token, w) -> w.promise().tryFail(token <= handedUpTo
        ? ProposalFailedException.stopped() : ProposalFailedException.notProposed(why)));
    byIndex.values().forEach(a -> a.promise().tryFail(ProposalFailedException.stopped()));
    byToken.clear();
    byIndex.clear();
  }

  /** True once {@link #failAll} ran: new proposals must be refused, not queued. */
  boolean closed() {
    return closed;
  }
}
