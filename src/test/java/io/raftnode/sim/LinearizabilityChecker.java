package io.raftnode.sim;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a {@link History} of a key-value store is linearizable. Keys are independent registers, so each
 * key is checked alone (linearizability is compositional). Per key it is the Wing & Gong search with Lowe's memo:
 * repeatedly pick an operation that could take effect next (invoked before every pending operation's completion),
 * apply it to the register, and backtrack on a wrong outcome; a (set of operations done, register value) pair
 * already explored is not explored again. Operations of unknown outcome never complete, so they can take effect
 * anywhere after their invocation, and they need not take effect at all: the search succeeds once every operation
 * with a known outcome is placed.
 */
public final class LinearizabilityChecker {

  /** The verdict for a whole history. */
  public record Result(boolean linearizable, boolean inconclusive, String explanation) {
    static final Result OK = new Result(true, false, "linearizable");
  }

  private final long maxStatesPerKey;

  public LinearizabilityChecker(long maxStatesPerKey) {
    this.maxStatesPerKey = maxStatesPerKey;
  }

  public LinearizabilityChecker() {
    this(2_000_000);
  }

  public Result check(List<History.Op> ops) {
    Map<String, List<History.Op>> byKey = new LinkedHashMap<>();
    for (History.Op op : ops) byKey.computeIfAbsent(op.key, k -> new ArrayList<>()).add(op);
    Result inconclusive = null;
    for (Map.Entry<String, List<History.Op>> e : byKey.entrySet()) {
      Result r = new KeySearch(withoutUnobservedUnknownWrites(e.getValue()), maxStatesPerKey).run();
      if (!r.linearizable() && !r.inconclusive()) return new Result(false, false, "key " + e.getKey() + ": " + r.explanation());
      if (r.inconclusive()) inconclusive = r;
    }
    return inconclusive == null ? Result.OK : inconclusive;
  }

  /**
   * Drops the writes of unknown outcome whose value no operation ever observed (read, reported as current, or
   * expected by a swap). Letting such a write take effect can never explain anything: until the next Put, every
   * known-outcome operation would have observed its value, so a linearization that includes it stays one without
   * it (any unknown swap it enabled can be left out as well). Without this, each of them doubles the search.
   */
  static List<History.Op> withoutUnobservedUnknownWrites(List<History.Op> ops) {
    Set<String> observed = new HashSet<>();
    for (History.Op op : ops) {
      if (op.ok && op.observed != null) observed.add(op.observed);
      if (op.kind == History.Kind.CAS && op.expectPresent) observed.add(op.expected);
    }
    List<History.Op> kept = new ArrayList<>();
    for (History.Op op : ops) {
      boolean write = op.kind != History.Kind.GET;
      if (op.ok || !write || observed.contains(op.value)) kept.add(op);
    }
    return kept;
  }

  private record State(BitSet done, String value) {}

  private static final class KeySearch {
    private final History.Op[] ops;
    private final int mustPlace;
    private final long maxStates;
    private final Set<State> seen = new HashSet<>();
    private BitSet deepest = new BitSet();

    KeySearch(List<History.Op> list, long maxStates) {
      this.ops = list.stream().sorted(Comparator.comparingLong((History.Op o) -> o.invoke)).toArray(History.Op[]::new);
      this.mustPlace = (int) list.stream().filter(o -> o.ok).count();
      this.maxStates = maxStates;
    }

    Result run() {
      try {
        if (search(new BitSet(), 0, null)) return Result.OK;
      } catch (BudgetExceeded e) {
        return new Result(false, true, "gave up after " + maxStates + " states on " + ops.length + " operations");
      }
      return new Result(false, false, explain());
    }

    private boolean search(BitSet done, int placed, String value) {
      if (placed == mustPlace) return true;
      if (done.cardinality() > deepest.cardinality()) deepest = (BitSet) done.clone();
      long horizon = Long.MAX_VALUE;
      for (int i = done.nextClearBit(0); i < ops.length; i = done.nextClearBit(i + 1)) {
        horizon = Math.min(horizon, ops[i].complete);
      }
      for (int i = done.nextClearBit(0); i < ops.length && ops[i].invoke < horizon; i = done.nextClearBit(i + 1)) {
        History.Op op = ops[i];
        String after = step(op, value);
        if (after == REJECT) continue;
        BitSet next = (BitSet) done.clone();
        next.set(i);
        if (!seen.add(new State(next, after))) continue;
        if (seen.size() > maxStates) throw new BudgetExceeded();
        if (search(next, placed + (op.ok ? 1 : 0), after)) return true;
      }
      return false;
    }

    private static final String REJECT = new String("reject");

    /** The register value after {@code op} on {@code value}, or REJECT when its recorded outcome is impossible. */
    private static String step(History.Op op, String value) {
      switch (op.kind) {
        case PUT:
          return op.value;
        case GET:
          if (!op.ok) return value;
          boolean present = value != null;
          return op.found == present && Objects.equals(op.observed, value) ? value : REJECT;
        case CAS:
          boolean matches = op.expectPresent ? value != null && value.equals(op.expected) : value == null;
          String result = matches ? op.value : value;
          if (!op.ok) return result;
          return op.found == matches && Objects.equals(op.observed, result) ? result : REJECT;
        default:
          throw new IllegalStateException("unknown kind " + op.kind);
      }
    }

    private String explain() {
      StringBuilder b = new StringBuilder("not linearizable; the longest explainable prefix places " + deepest.cardinality()
          + " of " + ops.length + " operations. Operations not placed (first 20):");
      int shown = 0;
      for (int i = deepest.nextClearBit(0); i < ops.length && shown < 20; i = deepest.nextClearBit(i + 1), shown++) {
        b.append("\n  ").append(ops[i]);
      }
      b.append("\nPlaced (last 20):");
      List<History.Op> placed = new ArrayList<>();
      for (int i = deepest.nextSetBit(0); i >= 0; i = deepest.nextSetBit(i + 1)) placed.add(ops[i]);
      for (History.Op op : placed.subList(Math.max(0, placed.size() - 20), placed.size())) b.append("\n  ").append(op);
      return b.toString();
    }
  }

  private static final class BudgetExceeded extends RuntimeException {
    BudgetExceeded() {
      super(null, null, false, false);
    }
  }
}
