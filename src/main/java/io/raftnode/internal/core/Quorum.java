package io.raftnode.internal.core;

import io.raftnode.internal.model.Membership;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Quorum arithmetic over per-member values, for every voter config at once (joint consensus needs each). */
final class Quorum {
  private Quorum() {}

  /** The largest v such that the members holding a value >= v form a quorum; 0 when no value does. */
  static long highest(Membership membership, Map<Long, Long> values) {
    Set<Long> candidates = new TreeSet<>(Comparator.reverseOrder());
    candidates.addAll(values.values());
    for (long v : candidates) {
      Set<Long> holders =
          values.entrySet().stream().filter(e -> e.getValue() >= v).map(Map.Entry::getKey).collect(Collectors.toSet());
      if (membership.isQuorum(holders)) return v;
    }
    return 0;
  }
}
