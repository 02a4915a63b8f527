package io.raftnode.internal.core;

import io.raftnode.internal.model.Membership;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Where a leader's commit index may move (Raft §5.3, §5.4.2): the largest N that a quorum of every voter config
 * holds durably AND whose entry belongs to the leader's current term. Entries of earlier terms are never committed
 * by counting replicas (Figure 8); they commit indirectly once an entry of the current term above them does.
 */
final class CommitRule {

  private CommitRule() {}

  /**
   * @param matched  highest index known durable on each member, the leader's own entry included
   * @return the new commit index, never below {@code commitIndex}
   */
  static long advance(RaftLog log, Membership membership, long term, Map<Long, Long> matched, long commitIndex) {
    // The largest committable N is always one of the matched values: a quorum holding >= N also holds >= the
    // smallest matched value that is >= N, so trying each matched value, highest first, suffices.
    Set<Long> candidates = new TreeSet<>(Comparator.reverseOrder());
    for (long m : matched.values()) if (m > commitIndex) candidates.add(m);
    for (long n : candidates) {
      long termAtN = log.termAt(n);
      if (termAtN < 0) continue; // beyond our log: no entry of ours to commit there
      if (termAtN < term) return commitIndex; // lower indexes have older terms still: §5.4.2 forbids them
      if (termAtN != term) continue;
      Set<Long> holders =
          matched.entrySet().stream().filter(e -> e.getValue() >= n).map(Map.Entry::getKey).collect(Collectors.toSet());
      if (membership.isQuorum(holders)) return n;
    }
    return commitIndex;
  }
}
