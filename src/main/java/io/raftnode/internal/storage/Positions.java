package io.raftnode.internal.storage;

import java.util.Arrays;

/**
 * The byte offset of every entry record in one segment, by position in the segment (entry firstIndex + i is at
 * {@code get(i)}): the in-memory index that lets a suffix truncation cut the file at the right byte and a read find
 * its first entry. A segment is at most 2 GiB, so an int holds every offset and a million entries cost 4 MB.
 * Thread safe: the log's writer adds and truncates while readers look offsets up.
 */
final class Positions {
  private int[] offsets = new int[1024];
  private int size;

  synchronized void add(long offset) {
    if (size == offsets.length) offsets = Arrays.copyOf(offsets, size * 2);
    offsets[size++] = Math.toIntExact(offset);
  }

  synchronized long get(int i) {
    if (i < 0 || i >= size) throw new IndexOutOfBoundsException("entry " + i + " of " + size);
    return offsets[i];
  }

  synchronized int size() {
    return size;
  }

  /** Forgets every entry from position {@code i} on. */
  synchronized void truncate(int i) {
    if (i < 0 || i > size) throw new IndexOutOfBoundsException("entry " + i + " of " + size);
    size = i;
  }
}
