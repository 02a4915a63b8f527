package io.raftnode.model;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Cluster membership as openraft models it: a list of voter configs (more than one = joint consensus) and the
 * address of every member. Nodes in {@code nodes} that are in no config are learners.
 */
public record Membership(List<Set<Long>> configs, SortedMap<Long, Node> nodes) {
  public Membership {
    if (configs == null || nodes == null) throw new IllegalArgumentException("configs and nodes must not be null");
    configs = configs.stream().map(c -> Collections.unmodifiableSet(new TreeSet<>(c))).toList();
    nodes = Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
  }

  public static Membership ofVoters(Map<Long, Node> voters) {
    return new Membership(List.of(new TreeSet<>(voters.keySet())), new TreeMap<>(voters));
  }

  public static Membership empty() {
    return new Membership(List.of(), new TreeMap<>());
  }

  /** Every voter of every config. */
  public Set<Long> voterIds() {
    Set<Long> all = new TreeSet<>();
    configs.forEach(all::addAll);
    return all;
  }

  /** Members that are in no config. */
  public Set<Long> learnerIds() {
    Set<Long> learners = new LinkedHashSet<>(nodes.keySet());
    learners.removeAll(voterIds());
    return learners;
  }

  public boolean isVoter(long nodeId) {
    return configs.stream().anyMatch(c -> c.contains(nodeId));
  }

  /** True when {@code granted} holds a majority of every config (joint consensus needs all of them). */
  public boolean isQuorum(Set<Long> granted) {
    if (configs.isEmpty()) return false;
    for (Set<Long> config : configs) {
      long count = config.stream().filter(granted::contains).count();
      if (count * 2 <= config.size()) return false;
    }
    return true;
  }
}
