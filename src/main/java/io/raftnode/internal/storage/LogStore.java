package io.raftnode.internal.storage;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.LogOutline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable Raft log: a contiguous run of entries from {@link #firstIndex()} to the last index. Entries before
 * the first index were purged (they are covered by a snapshot); {@link #purgedLogId()} names the last of them.
 *
 * <p><b>Threads.</b> Every method that touches the disk blocks: call none of them from an event loop. One thread at
 * a time, the writer (the node's storage worker, or startup), calls every method but {@link #read}, in order.
 * {@link #read} may be called by one other thread, the reader, at the same time as the writer works: it sees every
 * entry written before it began, never waits for a write or an fsync to finish, and does not slow the writer down
 * beyond a lock held for a few instructions. A read that overlaps a truncation or a purge returns nothing rather
 * than entries that may be gone; the caller asks again if it still needs them. After a write or sync fails, every
 * later call fails too: the state on disk is then unknown and only a restart's recovery can tell.
 */
public interface LogStore extends AutoCloseable {

  /**
   * The ids of the entries with index >= {@code fromIndex} (or >= {@link #firstIndex()}, whichever is larger),
   * without their payloads, and the membership entries among them whole: what a node needs of its log at startup.
   * Every record read is checked; throws CorruptDataException if one fails. Called by the writer.
   */
  LogOutline outline(long fromIndex) throws IOException;

  /**
   * Entries from {@code from} on, in index order: at most {@code maxEntries} of them and at most {@code maxBytes}
   * of stored entries (their encoded size; the in-memory store counts payloads), but at least one when the log
   * holds {@code from}. Empty when the log does not hold {@code from} (purged, or past the end) and when a
   * truncation or purge ran during the read. Throws CorruptDataException for a record that fails its check.
   */
  List<Entry> read(long from, int maxEntries, long maxBytes) throws IOException;

  /**
   * Every entry with index >= {@code fromIndex} (or >= {@link #firstIndex()}), in memory at once: for tests and
   * tools, not for a node, whose log may be far larger than its heap. Called by the writer, with no reads going.
   */
  default LogState loadFrom(long fromIndex) throws IOException {
    List<Entry> entries = new ArrayList<>();
    long next = Math.max(fromIndex, firstIndex());
    while (next <= LogId.indexOf(lastLogId())) {
      List<Entry> batch = read(next, 4096, 16L << 20);
      if (batch.isEmpty()) throw new IOException("the log holds entry " + next + " but it cannot be read");
      entries.addAll(batch);
      next += batch.size();
    }
    return new LogState(purgedLogId(), lastLogId(), entries);
  }

  /** The index of the first entry kept: {@code purgedIndex + 1}, or 1 when nothing was ever purged. */
  long firstIndex();

  /** The id of the last purged entry, or null when nothing was ever purged (the log starts at index 1). */
  LogId purgedLogId();

  /** The id of the last entry written; the purged id when the log is empty after a purge; null when empty. */
  LogId lastLogId();

  /**
   * Removes every entry with index >= {@code truncateFrom} (0 = remove nothing) and appends {@code entries}, which
   * must start at {@code truncateFrom} (or right after the last entry when it is 0) and be contiguous. A truncation
   * must not reach into the purged prefix. Nothing is guaranteed durable until {@link #sync()} returns; the caller
   * may issue several writes and sync once for all of them.
   */
  void write(long truncateFrom, List<Entry> entries) throws IOException;

  /** Makes every earlier {@link #write} durable. Cheap when nothing was written since the last sync. */
  void sync() throws IOException;

  /** {@link #write} then {@link #sync}. */
  default void append(long truncateFrom, List<Entry> entries) throws IOException {
    write(truncateFrom, entries);
    sync();
  }

  /**
   * Drops every entry with index at most {@code upTo.index()}, after a snapshot that covers them; durable on return.
   * The log then starts at {@code upTo.index() + 1}. If {@code upTo} is at or past the last entry, the log becomes
   * empty and the next write must start at {@code upTo.index() + 1}. A purge at or below the current purge point
   * does nothing. The caller makes sure the log agrees with {@code upTo} (the entry at that index, if kept, has
   * that id), truncating first if it does not.
   */
  void purgeUpTo(LogId upTo) throws IOException;

  @Override
  void close() throws IOException;
}
