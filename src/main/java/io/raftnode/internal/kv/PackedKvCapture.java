package io.raftnode.internal.kv;

import java.io.IOException;

/**
 * A {@link PackedKvMap}'s contents at the moment {@link PackedKvMap#capture} was called, read on another thread:
 * the table pages and arena chunks of that moment, which the map no longer changes while this view is held.
 */
final class PackedKvCapture {
  /** What a capture visits: one live record, read in place from its chunk. */
  @FunctionalInterface
  interface RecordVisitor {
    void visit(byte[] chunk, int keyOffset, int keyLength, int valueOffset, int valueLength, long revision)
        throws IOException;
  }

  private final long[][] pages;
  private final int pageShift;
  private final int capacity;
  private final RecordArena.View records;
  private final int size;
  private volatile boolean released;

  PackedKvCapture(long[][] pages, int pageShift, int capacity, RecordArena.View records, int size) {
    this.pages = pages;
    this.pageShift = pageShift;
    this.capacity = capacity;
    this.records = records;
    this.size = size;
  }

  /** The number of entries {@link #forEach} visits. */
  int size() {
    return size;
  }

  void forEach(RecordVisitor visitor) throws IOException {
    int mask = (1 << pageShift) - 1;
    for (int slot = 0; slot < capacity; slot++) {
      long[] page = pages[slot >>> pageShift];
      int i = (slot & mask) * PackedKvMap.STRIDE;
      long location = page[i];
      if (location == 0) continue;
      byte[] chunk = records.chunk(location);
      int at = RecordArena.offsetOf(location);
      int keyLength = RecordArena.getInt(chunk, at + 1);
      int valueLength = RecordArena.getInt(chunk, at + 5);
      int keyAt = at + RecordArena.HEADER;
      visitor.visit(chunk, keyAt, keyLength, keyAt + keyLength, valueLength, page[i + 2]);
    }
  }

  /** Ends the view; the map stops copying pages at its next change. */
  void release() {
    released = true;
  }

  boolean released() {
    return released;
  }
}
