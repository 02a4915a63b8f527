package io.raftnode.core;

import io.raftnode.model.Entry;
import io.raftnode.model.LeaderId;
import io.raftnode.model.LogId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A contiguous run of committed log entries kept as their encoded bytes, packed one after another into large
 * arrays, with the leader of each stretch of indexes kept apart so that ids and terms are known without decoding.
 * Entries leave from the front (a snapshot purges them) or all at once; committed entries are never cut from the
 * end. An entry is decoded again only when a follower that is behind needs it.
 */
final class PackedEntries {
  /** Just under 1 MiB: on a heap with 1 MiB regions such an array takes one region of its own and is never copied. */
  static final int CHUNK_BYTES = (1 << 20) - 64;
  /** The first chunk is small and each next one twice as large, up to {@link #CHUNK_BYTES}: small logs stay small. */
  private static final int FIRST_CHUNK_BYTES = 16 << 10;
  /** An entry at least this large keeps its own array instead of being copied into a chunk. */
  private static final int OWN_ARRAY_BYTES = CHUNK_BYTES / 8;

  /** A stretch of consecutive indexes that one leader created. */
  private record Run(long firstIndex, LeaderId leaderId) {}

  private final EntryPacking packing;
  private final List<Run> runs = new ArrayList<>();
  /**
   * The arrays entries are packed in, oldest first; {@link #firstChunk} numbers the first. Entries name their
   * array by number rather than by reference: a chunk referenced from one place only is one that a G1 young
   * collection frees as soon as it is dropped, while thousands of references would keep it until a full marking.
   */
  private final List<byte[]> chunks = new ArrayList<>();
  private long firstChunk;
  /** Bytes left in the last chunk when entries are being packed into it; 0 when a new one is needed. */
  private int fillFree;
  private int nextChunkBytes = FIRST_CHUNK_BYTES;
  // A ring of the entries' places: slot (head + i) % capacity holds entry firstIndex + i.
  private long[] chunkOf = new long[64];
  private int[] offsets = new int[64];
  private int[] lengths = new int[64];
  private int head;
  private int count;
  private long firstIndex = 1;

  PackedEntries(EntryPacking packing) {
    this.packing = packing;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** The first index held; when empty, the index the next entry must have. */
  long firstIndex() {
    return firstIndex;
  }

  long lastIndex() {
    return firstIndex + count - 1;
  }

  /** How many arrays hold the entries (tests check that dropped entries let theirs go). */
  int chunkCount() {
    return chunks.size();
  }

  boolean holdsIndex(long index) {
    return index >= firstIndex && index <= lastIndex();
  }

  /** Adds the entry that follows the last one held (any index when empty). */
  void add(Entry e) {
    if (count == 0) {
      firstIndex = e.index();
      runs.clear();
    } else if (e.index() != lastIndex() + 1) {
      throw new IllegalStateException("packed entry " + e.logId() + " does not follow index " + lastIndex());
    }
    if (runs.isEmpty() || !runs.get(runs.size() - 1).leaderId().equals(e.logId().leaderId())) {
      runs.add(new Run(e.index(), e.logId().leaderId()));
    }
    byte[] bytes = packing.encode(e);
    if (count == offsets.length) grow();
    int slot = slot(count);
    if (bytes.length >= OWN_ARRAY_BYTES) {
      chunks.add(bytes);
      fillFree = 0; // the next small entry starts a fresh chunk after this one
      offsets[slot] = 0;
    } else {
      if (fillFree < bytes.length) {
        byte[] chunk = new byte[Math.max(nextChunkBytes, bytes.length)];
        nextChunkBytes = Math.min(CHUNK_BYTES, nextChunkBytes * 2);
        chunks.add(chunk);
        fillFree = chunk.length;
      }
      byte[] fill = chunks.get(chunks.size() - 1);
      int at = fill.length - fillFree;
      System.arraycopy(bytes, 0, fill, at, bytes.length);
      offsets[slot] = at;
      fillFree -= bytes.length;
    }
    chunkOf[slot] = firstChunk + chunks.size() - 1;
    lengths[slot] = bytes.length;
    count++;
  }

  /** The entry at {@code index}, decoded afresh; it must be held. */
  Entry get(long index) {
    int slot = slot(position(index));
    byte[] chunk = chunks.get((int) (chunkOf[slot] - firstChunk));
    byte[] bytes = Arrays.copyOfRange(chunk, offsets[slot], offsets[slot] + lengths[slot]);
    return packing.decode(bytes);
  }

  /** The leader that created the entry at {@code index}; it must be held. */
  LeaderId leaderAt(long index) {
    position(index);
    int lo = 0;
    int hi = runs.size() - 1;
    while (lo < hi) { // the last run starting at or before index
      int mid = (lo + hi + 1) >>> 1;
      if (runs.get(mid).firstIndex() <= index) lo = mid;
      else hi = mid - 1;
    }
    return runs.get(lo).leaderId();
  }

  LogId logIdAt(long index) {
    return new LogId(leaderAt(index), index);
  }

  /** Drops every entry up to {@code index} (all of them when it is at or past the last). */
  void dropUpTo(long index) {
    if (count == 0 || index < firstIndex) return;
    if (index >= lastIndex()) {
      clear(index + 1);
      return;
    }
    int drop = (int) (index - firstIndex + 1);
    head = slot(drop);
    count -= drop;
    firstIndex = index + 1;
    long firstKept = chunkOf[head];
    if (firstKept > firstChunk) {
      chunks.subList(0, (int) (firstKept - firstChunk)).clear();
      firstChunk = firstKept;
    }
    while (runs.size() > 1 && runs.get(1).firstIndex() <= firstIndex) runs.remove(0);
  }

  /** Drops everything; the next entry added sets the first index. */
  void clear(long nextFirstIndex) {
    firstChunk += chunks.size();
    chunks.clear();
    fillFree = 0;
    head = 0;
    count = 0;
    firstIndex = nextFirstIndex;
    runs.clear();
  }

  private int position(long index) {
    if (!holdsIndex(index)) {
      throw new IllegalArgumentException("index " + index + " is not packed (" + firstIndex + ".." + lastIndex() + ")");
    }
    return (int) (index - firstIndex);
  }

  private int slot(int position) {
    return (head + position) % offsets.length;
  }

  private void grow() {
    int n = offsets.length;
    long[] c = new long[n * 2];
    int[] o = new int[n * 2];
    int[] l = new int[n * 2];
    for (int i = 0; i < count; i++) {
      int s = slot(i);
      c[i] = chunkOf[s];
      o[i] = offsets[s];
      l[i] = lengths[s];
    }
    chunkOf = c;
    offsets = o;
    lengths = l;
    head = 0;
  }
}
