package io.raftnode.storage;

import io.raftnode.model.Entry;
import io.raftnode.model.LogId;
import java.io.IOException;
import java.util.List;

/**
 * The durable Raft log: a contiguous run of entries from {@link #firstIndex()} to the last index. Entries before
 * the first index were purged (they are covered by a snapshot); {@link #purgedLogId()} names the last of them.
 *
 * <p>Every method that touches the disk blocks: call it only from the node's storage worker (or during startup),
 * never from the event loop. Calls come from one thread at a time, in order. After a write or sync fails, every
 * later call fails too: the state on disk is then unknown and only a restart's recovery can tell.
 */
public interface LogStore extends AutoCloseable {

  /**
   * Reads the entries with index >= {@code fromIndex} (or >= {@link #firstIndex()}, whichever is larger), in index
   * order, touching only the segments that hold them. Throws CorruptDataException if any of them fails its check.
   */
  LogState loadFrom(long fromIndex) throws IOException;

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
