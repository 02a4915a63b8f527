package io.raftnode.internal.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Key-value records appended one after another into large byte arrays (chunks). A record is
 * {@code [dead flag: 1 byte][key length: 4][value length: 4][key][value]} and is never changed after it is written,
 * except for its dead flag. A record is found by its location: {@code chunk number << 24 | offset}; chunk numbers
 * start at 1, so no location is 0. Chunks leave from the front only ({@link #dropFirstChunk}), once the records
 * still needed in them have been copied forward.
 *
 * <p>Why: a hash map of small objects keeps every value written since the last young collection alive through
 * it, and the collector copies them all. Records in arrays of just under 1 MiB cost it nothing: on a heap with
 * 1 MiB regions each array has a region of its own, which a young collection frees once the array is dropped.
 */
final class RecordArena {
  static final int CHUNK_BYTES = (1 << 20) - 64;
  /** The first chunk is small and each next one twice as large, up to {@link #CHUNK_BYTES}: small maps stay small. */
  private static final int FIRST_CHUNK_BYTES = 16 << 10;
  static final int HEADER = 9;
  /** A record at least this large gets an array of its own instead of a place in a shared chunk. */
  private static final int OWN_ARRAY_BYTES = CHUNK_BYTES / 8;
  private static final int OFFSET_BITS = 24;

  private final List<byte[]> chunks = new ArrayList<>();
  /** Bytes used in each chunk of {@link #chunks}. */
  private final List<Integer> used = new ArrayList<>();
  private long firstChunk = 1;
  /** Bytes left in the last chunk when records are being appended to it; 0 when a new one is needed. */
  private int fillFree;
  private int nextChunkBytes = FIRST_CHUNK_BYTES;
  /** Bytes of all chunks held, whatever is in them. */
  private long bytes;

  /** Appends a record and returns its location. */
  long append(byte[] key, byte[] value) {
    int size = HEADER + key.length + value.length;
    long location = reserve(size);
    byte[] chunk = chunkOf(location);
    int at = offsetOf(location);
    chunk[at] = 0;
    putInt(chunk, at + 1, key.length);
    putInt(chunk, at + 5, value.length);
    System.arraycopy(key, 0, chunk, at + HEADER, key.length);
    System.arraycopy(value, 0, chunk, at + HEADER + key.length, value.length);
    return location;
  }

  /** Appends a copy of the record at {@code from} (which must be live) and returns the copy's location. */
  long copy(long from) {
    int size = sizeOf(from);
    byte[] source = chunkOf(from);
    int sourceAt = offsetOf(from);
    long location = reserve(size);
    System.arraycopy(source, sourceAt, chunkOf(location), offsetOf(location), size);
    return location;
  }

  private long reserve(int size) {
    if (size >= OWN_ARRAY_BYTES) {
      fillFree = 0; // the next small record starts a fresh chunk after this one
      return addChunk(size, size);
    }
    if (fillFree < size) {
      int length = Math.max(nextChunkBytes, size);
      nextChunkBytes = Math.min(CHUNK_BYTES, nextChunkBytes * 2);
      fillFree = length - size;
      return addChunk(length, size);
    }
    int last = chunks.size() - 1;
    int at = used.get(last);
    used.set(last, at + size);
    fillFree -= size;
    return location(firstChunk + last, at);
  }

  private long addChunk(int length, int firstRecordSize) {
    chunks.add(new byte[length]);
    used.add(firstRecordSize);
    bytes += length;
    return location(firstChunk + chunks.size() - 1, 0);
  }

  void markDead(long location) {
    chunkOf(location)[offsetOf(location)] = 1;
  }

  boolean isDead(long location) {
    return chunkOf(location)[offsetOf(location)] != 0;
  }

  private int keyLength(long location) {
    return getInt(chunkOf(location), offsetOf(location) + 1);
  }

  private int valueLength(long location) {
    return getInt(chunkOf(location), offsetOf(location) + 5);
  }

  int sizeOf(long location) {
    return HEADER + keyLength(location) + valueLength(location);
  }

  boolean keyEquals(long location, byte[] key) {
    byte[] chunk = chunkOf(location);
    int at = offsetOf(location);
    int length = getInt(chunk, at + 1);
    return length == key.length && Arrays.equals(chunk, at + HEADER, at + HEADER + length, key, 0, key.length);
  }

  byte[] value(long location) {
    int at = offsetOf(location) + HEADER + keyLength(location);
    return Arrays.copyOfRange(chunkOf(location), at, at + valueLength(location));
  }

  /** Bytes of all chunks held: live records, dead ones and room not used yet. */
  long bytes() {
    return bytes;
  }

  /** How many chunks were dropped so far. */
  long droppedChunks() {
    return firstChunk - 1;
  }

  /** The location of the first record of the oldest chunk. */
  long firstLocation() {
    return location(firstChunk, 0);
  }

  /** The record after the one at {@code location} in its chunk, or 0 when it is the chunk's last. */
  long next(long location) {
    int after = offsetOf(location) + sizeOf(location);
    return after >= used.get((int) (chunkNumber(location) - firstChunk)) ? 0 : location(chunkNumber(location), after);
  }

  /** The hash of the record's key ({@link PackedKvMap#hash}), read in place. */
  int keyHash(long location) {
    byte[] chunk = chunkOf(location);
    int at = offsetOf(location);
    return PackedKvMap.hash(chunk, at + HEADER, getInt(chunk, at + 1));
  }

  /** True when there is no chunk but the one records are being appended to. */
  boolean onlyTheFillChunkLeft() {
    return chunks.size() <= 1;
  }

  /** Drops the oldest chunk; the records still needed in it must have been copied forward. */
  void dropFirstChunk() {
    bytes -= chunks.get(0).length;
    chunks.remove(0);
    used.remove(0);
    firstChunk++;
  }

  static long chunkNumber(long location) {
    return location >>> OFFSET_BITS;
  }

  /** A view of the records as they are now, for another thread: later appends and drops do not change it. */
  View view() {
    return new View(List.copyOf(chunks), firstChunk);
  }

  /** The chunks as they were when the view was taken; reads records but never writes them. */
  record View(List<byte[]> chunks, long firstChunk) {
    byte[] chunk(long location) {
      return chunks.get((int) (chunkNumber(location) - firstChunk));
    }
  }

  static int offsetOf(long location) {
    return (int) (location & ((1L << OFFSET_BITS) - 1));
  }

  static int getInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  private byte[] chunkOf(long location) {
    return chunks.get((int) (chunkNumber(location) - firstChunk));
  }

  private static long location(long chunkNumber, int offset) {
    return chunkNumber << OFFSET_BITS | offset;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
