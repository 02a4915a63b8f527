package io.raftnode.internal.core;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries a log keeps in memory: a contiguous run {@code (base, base + size]} that always reaches the log's
 * last index, counted in bytes so that the older end can be let go once the entries are safe on disk. Entries
 * leave from the front (evicted or purged) or from the back (truncated).
 */
final class EntryWindow {

  /** What an entry costs beyond its payload (the objects around it), so that tiny entries still count. */
  static final long ENTRY_OVERHEAD_BYTES = 64;

  private final List<Entry> entries = new ArrayList<>();
  /** Entries before {@link #head} in {@link #entries} have left; they are removed in bulk now and then. */
  private int head;
  private long base;
  private long bytes;

  EntryWindow(long base) {
    this.base = base;
  }

  /** The index before the first entry held. */
  long base() {
    return base;
  }

  long lastIndex() {
    return base + size();
  }

  int size() {
    return entries.size() - head;
  }

  /** What the entries held cost, in {@link #heldBytes} units. */
  long bytes() {
    return bytes;
  }

  boolean holdsIndex(long index) {
    return index > base && index <= lastIndex();
  }

  Entry get(long index) {
    return entries.get(head + (int) (index - base - 1));
  }

  /** Entries {@code from..to}, both held. */
  List<Entry> range(long from, long to) {
    return List.copyOf(entries.subList(head + (int) (from - base - 1), head + (int) (to - base)));
  }

  void add(Entry e) {
    if (e.index() != lastIndex() + 1)
      throw new IllegalStateException("entry " + e.logId() + " does not follow index " + lastIndex());
    entries.add(e);
    bytes += heldBytes(e);
  }

  /** Drops the first entry held. */
  void dropFirst() {
    bytes -= heldBytes(entries.get(head));
    entries.set(head, null);
    head++;
    base++;
    if (head > 1024 && head > entries.size() / 2) {
      entries.subList(0, head).clear();
      head = 0;
    }
  }

  /** Drops every entry <= {@code index}; past the last one, the window continues empty after {@code index}. */
  void dropUpTo(long index) {
    if (index >= lastIndex()) {
      clear(index);
      return;
    }
    while (base < index) dropFirst();
  }

  /** Drops every entry >= {@code from}; below the first one, the window continues empty after {@code from - 1}. */
  void truncateFrom(long from) {
    if (from > lastIndex()) return;
    if (from <= base + 1) {
      clear(from - 1);
      return;
    }
    List<Entry> cut = entries.subList(head + (int) (from - base - 1), entries.size());
    for (Entry e : cut) bytes -= heldBytes(e);
    cut.clear();
  }

  /** Drops everything: the window continues after {@code newBase}. */
  void clear(long newBase) {
    entries.clear();
    head = 0;
    bytes = 0;
    base = newBase;
  }

  static long heldBytes(Entry e) {
    return ENTRY_OVERHEAD_BYTES + (e.payload() instanceof EntryPayload.Normal n ? n.data().length : 0);
  }
}
