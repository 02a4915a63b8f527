package io.raftnode.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.BiPredicate;

/**
 * The simulated network between nodes: every message gets a random delay (so messages overtake each other), may
 * be duplicated, and is lost when an active rule says so. Rules are directed, so loss can be asymmetric (a→b lost,
 * b→a delivered); a partition is a rule with loss 1 in both directions. A message is checked when sent and again
 * when it would arrive, so a partition also swallows what was already in flight.
 */
final class SimNetwork {

  /** Receives a message from {@code from}. */
  interface Receiver {
    void receive(long from, SimMessage message);
  }

  private record Rule(String name, BiPredicate<Long, Long> link, double loss) {}

  private final SimClock clock;
  private final Random random;
  private final Map<Long, Receiver> receivers = new LinkedHashMap<>();
  private final Map<Integer, Rule> rules = new LinkedHashMap<>();
  private int nextRule;
  private int minDelayMs = 1;
  private int maxDelayMs = 10;
  private double duplicateRate = 0.01;
  long sent;
  long dropped;
  long duplicated;

  SimNetwork(SimClock clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  void attach(long node, Receiver receiver) {
    receivers.put(node, receiver);
  }

  /** Adds a loss rule for the links it matches; returns its id for {@link #remove}. */
  int addRule(String name, BiPredicate<Long, Long> link, double loss) {
    int id = nextRule++;
    rules.put(id, new Rule(name, link, loss));
    return id;
  }

  void remove(int ruleId) {
    rules.remove(ruleId);
  }

  /** The links that cross between {@code side} and the rest, in both directions. */
  static BiPredicate<Long, Long> across(java.util.Set<Long> side) {
    return (from, to) -> side.contains(from) != side.contains(to);
  }

  void setDelays(int minMs, int maxMs, double duplicates) {
    this.minDelayMs = minMs;
    this.maxDelayMs = maxMs;
    this.duplicateRate = duplicates;
  }

  /** Back to a healthy network: no rules, short delays, rare duplicates. */
  void heal() {
    rules.clear();
    setDelays(1, 10, 0.01);
  }

  String describe() {
    StringBuilder b = new StringBuilder("delays " + minDelayMs + ".." + maxDelayMs + "ms dup " + duplicateRate);
    rules.values().forEach(r -> b.append(", ").append(r.name()).append(" loss ").append(r.loss()));
    return b.toString();
  }

  void send(long from, long to, SimMessage message) {
    sent++;
    if (lost(from, to)) {
      dropped++;
      return;
    }
    int copies = random.nextDouble() < duplicateRate ? 2 : 1;
    if (copies == 2) duplicated++;
    for (int i = 0; i < copies; i++) {
      long delay = minDelayMs + random.nextInt(maxDelayMs - minDelayMs + 1);
      clock.after(delay, () -> {
        if (blocked(from, to)) {
          dropped++;
          return;
        }
        Receiver receiver = receivers.get(to);
        if (receiver != null) receiver.receive(from, message);
      });
    }
  }

  private boolean lost(long from, long to) {
    for (Rule r : rules.values()) {
      if (r.link().test(from, to) && (r.loss() >= 1.0 || random.nextDouble() < r.loss())) return true;
    }
    return false;
  }

  private boolean blocked(long from, long to) {
    for (Rule r : rules.values()) if (r.loss() >= 1.0 && r.link().test(from, to)) return true;
    return false;
  }
}
