package io.raftnode.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The client history of a key-value register: each operation with its invocation and completion as positions on
 * one logical timeline (a counter, so no two events tie), and its outcome. An operation whose outcome is unknown
 * (timeout, crash) stays open: it may have taken effect at any point after its invocation, or never. Thread safe,
 * so concurrent clients of a real cluster can share one.
 */
public final class History {

  public enum Kind {
    PUT,
    GET,
    CAS
  }

  /** One operation. Values are strings; null stands for "absent". */
  public static final class Op {
    public final int id;
    public final int client;
    public final String key;
    public final Kind kind;
    /** PUT: the value written; CAS: the new value. */
    public final String value;
    /** CAS: swap only if present with {@code expected} (true) or only if absent (false). */
    public final boolean expectPresent;
    public final String expected;
    public final long invoke;
    public long complete = Long.MAX_VALUE;
    public boolean ok;
    /** GET: found; CAS: swapped. */
    public boolean found;
    /** GET: the value read; CAS: the value the key holds afterwards. */
    public String observed;

    Op(int id, int client, String key, Kind kind, String value, boolean expectPresent, String expected, long invoke) {
      this.id = id;
      this.client = client;
      this.key = key;
      this.kind = kind;
      this.value = value;
      this.expectPresent = expectPresent;
      this.expected = expected;
      this.invoke = invoke;
    }

    public boolean indeterminate() {
      return !ok;
    }

    @Override
    public String toString() {
      String what = switch (kind) {
        case PUT -> "put(" + key + "=" + value + ")";
        case GET -> "get(" + key + ")";
        case CAS -> "cas(" + key + ": " + (expectPresent ? expected : "absent") + " -> " + value + ")";
      };
      String out;
      if (!ok) {
        out = "unknown";
      } else if (kind == Kind.GET) {
        out = found ? "= " + observed : "= absent";
      } else if (kind == Kind.CAS) {
        out = (found ? "swapped" : "failed") + ", now " + (observed == null ? "absent" : observed);
      } else {
        out = "ok";
      }
      return "#" + id + " c" + client + " " + what + " " + out + " [" + invoke + ", "
          + (complete == Long.MAX_VALUE ? "open" : complete) + "]";
    }
  }

  private final List<Op> ops = new ArrayList<>();
  private long clock;
  private int nextId;

  public synchronized Op invoke(int client, String key, Kind kind, String value, boolean expectPresent, String expected) {
    Op op = new Op(nextId++, client, key, kind, value, expectPresent, expected, ++clock);
    ops.add(op);
    return op;
  }

  public synchronized Op put(int client, String key, String value) {
    return invoke(client, key, Kind.PUT, value, false, null);
  }

  public synchronized Op get(int client, String key) {
    return invoke(client, key, Kind.GET, null, false, null);
  }

  public synchronized Op cas(int client, String key, boolean expectPresent, String expected, String newValue) {
    return invoke(client, key, Kind.CAS, newValue, expectPresent, expected);
  }

  /** The operation took effect with this outcome ({@code found}/{@code observed} as in {@link Op}). */
  public synchronized void ok(Op op, boolean found, String observed) {
    op.complete = ++clock;
    op.ok = true;
    op.found = found;
    op.observed = observed;
  }

  /** The operation certainly had no effect (refused, not leader, slot taken): it leaves the history. */
  public synchronized void failed(Op op) {
    ops.remove(op);
  }

  /** The outcome is unknown: a write stays open forever; a read, which changes nothing, is dropped. */
  public synchronized void unknown(Op op) {
    if (op.kind == Kind.GET) ops.remove(op);
  }

  public synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  public synchronized int size() {
    return ops.size();
  }

  public synchronized long count(boolean ok) {
    return ops.stream().filter(o -> o.ok == ok).count();
  }

  static boolean same(String a, String b) {
    return Objects.equals(a, b);
  }
}
