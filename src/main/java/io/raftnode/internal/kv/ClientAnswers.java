package io.raftnode.internal.kv;

import java.util.Arrays;

/**
 * One client's part of the exactly-once table: its floor (every sequence below it is answered or forgotten) and the
 * encoded answers of its applied sequences at or above the floor, in sequence order. Answers are added in about
 * sequence order and only ever removed from the lowest end, so they sit in two parallel arrays used as a sorted
 * deque; a lookup is a binary search. The arrays shrink again when a client's window narrows, so a client that once
 * pipelined many writes does not keep the room for them.
 */
final class ClientAnswers {
  private static final int MIN_CAPACITY = 2;

  final String clientId;
  private long floor;
  private long[] sequences = new long[MIN_CAPACITY];
  private byte[][] results = new byte[MIN_CAPACITY][];
  /** The answers are at [start, end), ascending by sequence. */
  private int start;
  private int end;
  private long bytes;

  ClientAnswers(String clientId, long floor) {
    this.clientId = clientId;
    this.floor = floor;
  }

  long floor() {
    return floor;
  }

  /** Raises the floor (never lowers it); the caller drops the answers below it first. */
  void raiseFloor(long to) {
    floor = Math.max(floor, to);
  }

  int size() {
    return end - start;
  }

  /** Bytes of the encoded answers held. */
  long bytes() {
    return bytes;
  }

  /** The recorded answer of {@code sequence}, or null. */
  byte[] answer(long sequence) {
    int at = Arrays.binarySearch(sequences, start, end, sequence);
    return at >= 0 ? results[at] : null;
  }

  long lowestSequence() {
    if (start == end) throw new IllegalStateException("client \"" + clientId + "\" holds no answer");
    return sequences[start];
  }

  /** Records the answer of {@code sequence}, which has none yet and is at or above the floor. */
  void add(long sequence, byte[] result) {
    int at = Arrays.binarySearch(sequences, start, end, sequence);
    if (at >= 0) throw new IllegalStateException("sequence " + sequence + " already has an answer");
    if (sequence < floor) throw new IllegalStateException("sequence " + sequence + " is below the floor " + floor);
    if (end == sequences.length) {
      resize(Math.max(MIN_CAPACITY, size() * 2));
      at = Arrays.binarySearch(sequences, start, end, sequence);
    }
    int insertAt = -at - 1;
    // Usually the newest sequence, so nothing moves; a write that overtook an older one moves the few above it.
    System.arraycopy(sequences, insertAt, sequences, insertAt + 1, end - insertAt);
    System.arraycopy(results, insertAt, results, insertAt + 1, end - insertAt);
    sequences[insertAt] = sequence;
    results[insertAt] = result;
    end++;
    bytes += result.length;
  }

  /** Forgets the answer of the lowest sequence; returns its size in bytes. */
  int dropLowest() {
    lowestSequence();
    byte[] dropped = results[start];
    results[start++] = null;
    bytes -= dropped.length;
    if (start == end) {
      start = 0;
      end = 0;
    }
    if (sequences.length > 4 * MIN_CAPACITY && size() < sequences.length / 4) resize(sequences.length / 2);
    return dropped.length;
  }

  /** The sequences held, ascending (a copy). */
  long[] sequences() {
    return Arrays.copyOfRange(sequences, start, end);
  }

  /** The answers held, in the order of {@link #sequences()} (a copy of the array; answers are never changed). */
  byte[][] results() {
    return Arrays.copyOfRange(results, start, end);
  }

  /** Moves the answers to the front of arrays of {@code capacity} (at least the size). */
  private void resize(int capacity) {
    int n = size();
    long[] s = new long[Math.max(capacity, n)];
    byte[][] r = new byte[s.length][];
    System.arraycopy(sequences, start, s, 0, n);
    System.arraycopy(results, start, r, 0, n);
    sequences = s;
    results = r;
    start = 0;
    end = n;
  }
}
