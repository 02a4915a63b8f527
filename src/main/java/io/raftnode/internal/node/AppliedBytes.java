package io.raftnode.internal.node;

import java.util.Arrays;

/**
 * How many payload bytes were applied at each index since the oldest entry still in the log: what lets snapshots
 * trigger on bytes as well as entries, and lets the tail kept below a snapshot be bounded in bytes, so large
 * values cannot make the log (and the memory that holds it) outgrow what the config allows. Two primitive arrays
 * (16 bytes an entry), trimmed as the log is purged. Event loop only.
 */
final class AppliedBytes {
  /** indexes[i] was applied with cumulative[i] bytes applied in total up to and including it. */
  private long[] indexes = new long[1024];
  private long[] cumulative = new long[1024];
  private int start;
  private int end;
  private long total;

  /** Records that entry {@code index} (above every index recorded so far) carried {@code bytes} payload bytes. */
  void applied(long index, long bytes) {
    if (end > start && index <= indexes[end - 1])
      throw new IllegalArgumentException("entry " + index + " applied after entry " + indexes[end - 1]);
    if (end == indexes.length) grow();
    total += bytes;
    indexes[end] = index;
    cumulative[end] = total;
    end++;
  }

  /** Payload bytes applied after entry {@code index} (all recorded ones when it is below them). */
  long bytesAfter(long index) {
    int at = firstAbove(index);
    return at == start ? total - base() : total - cumulative[at - 1];
  }

  /**
   * How many entries to keep below a snapshot at {@code snapshotIndex}: at most {@code maxEntries}, and no more
   * than the entries just below it whose payloads total at most {@code maxBytes}.
   */
  long keepTail(long snapshotIndex, long maxEntries, long maxBytes) {
    int upTo = firstAbove(snapshotIndex); // entries [start, upTo) are at or below the snapshot
    long below = upTo == start ? base() : cumulative[upTo - 1];
    long kept = 0;
    for (int i = upTo - 1; i >= start && kept < maxEntries; i--) {
      long from = i == start ? base() : cumulative[i - 1];
      if (below - from > maxBytes) break;
      kept++;
    }
    return kept;
  }

  /** Forgets every entry up to {@code index} (the log no longer holds them). */
  void purgedUpTo(long index) {
    int at = firstAbove(index);
    if (at == start) return;
    start = at;
    if (start == end) {
      reset();
      return;
    }
    if (start > indexes.length / 2) compact();
  }

  /** Forgets everything: the state machine now holds a received snapshot. */
  void reset() {
    start = end = 0;
    total = 0;
  }

  private long base() {
    return start == 0 ? 0 : cumulative[start - 1];
  }

  private int firstAbove(long index) {
    int at = Arrays.binarySearch(indexes, start, end, index);
    return at >= 0 ? at + 1 : -at - 1;
  }

  private void grow() {
    if (start > 0) {
      compact();
      if (end < indexes.length) return;
    }
    indexes = Arrays.copyOf(indexes, indexes.length * 2);
    cumulative = Arrays.copyOf(cumulative, cumulative.length * 2);
  }

  /** Moves the live range to the front, keeping the cumulative sums relative to the bytes before it. */
  private void compact() {
    long before = base();
    int n = end - start;
    System.arraycopy(indexes, start, indexes, 0, n);
    for (int i = 0; i < n; i++) cumulative[i] = cumulative[start + i] - before;
    total -= before;
    start = 0;
    end = n;
  }
}
