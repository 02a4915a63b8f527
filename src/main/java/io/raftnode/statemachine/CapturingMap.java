package io.raftnode.statemachine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * A hash map with one writer thread that can hand a point-in-time view of itself to one reader thread without
 * copying it: a {@link Capture} iterates the live map, and while it runs the writer saves the old value of a key
 * (a pre-image) the first time it changes it. Deleted keys stay in the map as tombstones while a capture runs, so
 * the reader's iterator still meets them. Extra memory is one pre-image per key changed during the capture, and the
 * writer never waits for the reader. A hash map, not a sorted one: lookups stay O(1) with no pointer chasing,
 * which on the apply path of a large key space is most of a write's cost.
 *
 * <p>Why the reader's view is right: the iterator of a {@link ConcurrentHashMap} meets every key present when it
 * was created exactly once (tombstones keep removed keys present). For a key k the writer stores the pre-image
 * before it changes k; the reader reads k's value first and then looks for a pre-image. If it finds one, that is
 * k's value at capture time; if it finds none, the writer had not started changing k when the reader read it.
 * Keys added during the capture have the pre-image "absent" and are left out.
 */
final class CapturingMap<K, V> {
  private static final Object TOMBSTONE = new Object();
  private static final Object ABSENT = new Object();

  private final ConcurrentHashMap<K, Object> map = new ConcurrentHashMap<>();
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
    Object old;
    if (capture == null) {
      old = map.put(key, value); // one lookup: nobody needs the old value saved
    } else {
      old = map.get(key);
      saveBefore(key, old);
      map.put(key, value);
    }
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

  /** Every live entry; only for the writer thread. */
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
    if (c != null) c.preImages.putIfAbsent(key, old == null || old == TOMBSTONE ? ABSENT : old);
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
    private volatile boolean released;

    private Capture(int size) {
      this.size = size;
    }

    /** The number of entries {@link #forEach} visits. */
    int size() {
      return size;
    }

    /** Visits every entry as it was at capture time. */
    void forEach(BiConsumer<K, V> action) {
      // Entries, not keys then lookups: the iterator's entry carries the value it read, one lookup fewer per key.
      for (Map.Entry<K, Object> e : map.entrySet()) {
        K key = e.getKey();
        Object v = e.getValue();
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
