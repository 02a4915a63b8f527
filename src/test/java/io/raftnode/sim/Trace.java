package io.raftnode.sim;

/**
 * The last events of a run, kept cheaply (objects, formatted only when a failure is printed) so that a failure
 * report shows what led up to it.
 */
final class Trace {
  private static final int MAX_LINE = 400;

  private final long[] times;
  private final long[] nodes;
  private final Object[] what;
  private long count;

  Trace(int capacity) {
    times = new long[capacity];
    nodes = new long[capacity];
    what = new Object[capacity];
  }

  /** Records {@code what} happening at {@code node} (0 = the harness itself). */
  void add(long timeMs, long node, Object what) {
    int slot = (int) (count++ % times.length);
    times[slot] = timeMs;
    nodes[slot] = node;
    this.what[slot] = what;
  }

  String format() {
    StringBuilder b = new StringBuilder();
    long first = Math.max(0, count - times.length);
    for (long i = first; i < count; i++) {
      int slot = (int) (i % times.length);
      String line = String.valueOf(what[slot]);
      if (line.length() > MAX_LINE) line = line.substring(0, MAX_LINE) + "...";
      b.append(String.format("%8dms %s %s%n", times[slot], nodes[slot] == 0 ? "sim   " : "node " + nodes[slot], line));
    }
    return b.toString();
  }
}
