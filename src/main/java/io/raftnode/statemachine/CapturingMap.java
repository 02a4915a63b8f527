package io.raftnode.statemachine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiConsumer;

/**
 * A sorted map with one writer thread that can hand a point-in-time view of itself to one reader thread without
 * copying it: a {@link Capture} iterates the live map in key order, and the writer saves the old value of a key
 * (a pre-image) the first time it changes one the reader has not passed yet. Deleted keys stay in the map as
 * tombstones while a capture runs, so the reader's iterator still meets them. Extra memory is one pre-image per key
 * changed ahead of the reader, and the writer never waits for the reader.
 *
 * <p>Why the reader's value is right: for a key k, the writer first reads the cursor, then stores the pre-image
 * (if k is not behind the cursor), then changes k. The reader first moves the cursor to k, then reads k's value,
 * then looks for a pre-image. If the writer saw the cursor behind k, its pre-image is stored before its change, so
 * a reader that reads the changed value finds the pre-image. If the writer saw the cursor past k, the reader had
 * already read k before the cursor moved on.
 */
final class CapturingMap<K extends Comparable<K>, V> {
  private static final Object TOMBSTONE = new Object();
  private static final Object ABSENT = new Object();

  private final ConcurrentSkipListMap<K, Object> map = new ConcurrentSkipListMap<>();
  private final List<K> tombstones = new ArrayList<>();
  private int size;
  private Capture capture;

  @SuppressWarnings("unchecked")
  V get(K key) {
    Object v = map.get(key);
    return v == null || v == TOMBSTONE ? null : (V) v;
  }

  int size() {
    return size;
  }

  /** Sets {@code key}; returns the previous value or null. */
  V put(K key, V value) {
    settle();
    Object old = map.get(key);
    saveBefore(key, old);
    map.put(key, value);
    if (old == null || old == TOMBSTONE) size++;
    return old == null || old == TOMBSTONE ? null : cast(old);
  }

  /** Removes {@code key}; returns the previous value or null. */
  V remove(K key) {
    settle();
    Object old = map.get(key);
    if (old == null || old == TOMBSTONE) return null;
    saveBefore(key, old);
    size--;
    if (capture == null) {
      map.remove(key);
    } else {
      map.put(key, TOMBSTONE);
      tombstones.add(key);
    }
    return cast(old);
  }

  /** Every live entry in key order; only for the writer thread. */
  void forEach(BiConsumer<K, V> action) {
    for (Map.Entry<K, Object> e : map.entrySet()) if (e.getValue() != TOMBSTONE) action.accept(e.getKey(), cast(e.getValue()));
  }

  /** Starts a view of the current contents; one at a time. */
  Capture capture() {
    settle();
    if (capture != null) throw new IllegalStateException("a capture is already running");
    capture = new Capture(size);
    return capture;
  }

  private void saveBefore(K key, Object old) {
    Capture c = capture;
    if (c == null) return;
    K cursor = c.cursor;
    if (cursor == null || key.compareTo(cursor) >= 0) c.preImages.putIfAbsent(key, old == null || old == TOMBSTONE ? ABSENT : old);
  }

  /** Once the reader is done, drops the capture and the tombstones it needed; runs on the writer thread. */
  private void settle() {
    if (capture == null || !capture.released) return;
    capture = null;
    for (K k : tombstones) map.remove(k, TOMBSTONE);
    tombstones.clear();
  }

  @SuppressWarnings("unchecked")
  private static <V> V cast(Object o) {
    return (V) o;
  }

  /** The map's contents at {@link #capture()} time, read on another thread. */
  final class Capture {
    private final ConcurrentHashMap<K, Object> preImages = new ConcurrentHashMap<>();
    private final int size;
    private volatile K cursor;
    private volatile boolean released;

    private Capture(int size) {
      this.size = size;
    }

    /** The number of entries {@link #forEach} visits. */
    int size() {
      return size;
    }

    /** Visits every entry as it was at capture time, in key order. */
    void forEach(BiConsumer<K, V> action) {
      for (K key : map.keySet()) {
        cursor = key;
        Object v = map.get(key);
        Object pre = preImages.get(key);
        Object value = pre != null ? pre : v;
        if (value != null && value != TOMBSTONE && value != ABSENT) action.accept(key, cast(value));
      }
    }

    /** Ends the view; the writer drops it at its next change. */
    void release() {
      released = true;
    }
  }
}
