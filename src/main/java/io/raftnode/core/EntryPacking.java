package io.raftnode.core;

import io.raftnode.model.Entry;

/**
 * How the core turns log entries it has handed out for applying into bytes, and back when a follower that is
 * behind needs them again. A node passes the msgpack entry codec; the core itself knows no wire format.
 *
 * <p>Why: the core keeps every entry since the last snapshot, for followers that fall behind. Kept as objects,
 * those entries are four small objects each that the garbage collector copies on every young collection while a
 * snapshot interval lasts; packed into large byte arrays they cost it nothing.
 */
public interface EntryPacking {
  /** The entry's bytes; the caller copies them and does not modify the array. */
  byte[] encode(Entry entry);

  /** The entry {@link #encode} gave {@code bytes} for; the entry may keep the array, which is the caller's own copy. */
  Entry decode(byte[] bytes);
}
