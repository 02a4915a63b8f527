package io.raftnode.internal.model;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Cluster membership as openraft models it: a list of voter configs (two = joint consensus, Raft thesis §4.3) and
 * the address of every member. Nodes in {@code nodes} that are in no config are learners.
 *
 * <p>{@code removed} names every id ever removed from the cluster. Ids are never reused: a machine that came back
 * under an old id with old state could vote or acknowledge twice. During a joint config it also names the voters
 * that leave the cluster altogether once the joint config is left (they still vote in the old config until then).
 */
public record Membership(List<Set<Long>> configs, SortedMap<Long, Node> nodes, SortedSet<Long> removed) {
  public Membership {
    if (configs == null || nodes == null || removed == null) {
      throw new IllegalArgumentException("configs, nodes and removed must not be null");
    }
    configs = configs.stream().map(c -> Collections.unmodifiableSet(new TreeSet<>(c))).toList();
    nodes = Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
    removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
  }

  /** A membership that has never removed anyone. */
  public Membership(List<Set<Long>> configs, SortedMap<Long, Node> nodes) {
    this(configs, nodes, new TreeSet<>());
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

  public boolean isMember(long nodeId) {
    return nodes.containsKey(nodeId);
  }

  /** True when {@code nodeId} was removed from the cluster (or leaves it when this joint config is left). */
  public boolean wasRemoved(long nodeId) {
    return removed.contains(nodeId);
  }

  /** Two configs: a change between voter sets is under way (C_old,new). */
  public boolean isJoint() {
    return configs.size() > 1;
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

  // ---- the memberships a change moves through (the rules that allow a change are the core's) ----

  /** This membership with {@code id} added as a learner at {@code node}. */
  public Membership withLearner(long id, Node node) {
    TreeMap<Long, Node> more = new TreeMap<>(nodes);
    more.put(id, node);
    return new Membership(configs, more, removed);
  }

  /** The joint config C_old,new from this uniform one to {@code voters}; {@code leaving} leave the cluster after. */
  public Membership jointWith(Set<Long> voters, Set<Long> leaving) {
    if (isJoint()) throw new IllegalStateException("already joint: " + this);
    TreeSet<Long> gone = new TreeSet<>(removed);
    gone.addAll(leaving);
    return new Membership(List.of(configs.get(0), voters), nodes, gone);
  }

  /**
   * The uniform config C_new that leaves this joint one: the new voters, without the nodes that leave the cluster.
   * Voters of the old config that are not in the new one and are not leaving stay as learners.
   */
  public Membership leaveJoint() {
    if (!isJoint()) throw new IllegalStateException("not joint: " + this);
    TreeMap<Long, Node> kept = new TreeMap<>(nodes);
    kept.keySet().removeAll(removed);
    return new Membership(List.of(configs.get(configs.size() - 1)), kept, removed);
  }

  /** This uniform membership without the learner {@code id}, which is remembered as removed. */
  public Membership withoutLearner(long id) {
    if (isVoter(id)) throw new IllegalStateException("node " + id + " is a voter");
    TreeMap<Long, Node> kept = new TreeMap<>(nodes);
    kept.remove(id);
    TreeSet<Long> gone = new TreeSet<>(removed);
    gone.add(id);
    return new Membership(configs, kept, gone);
  }
}
