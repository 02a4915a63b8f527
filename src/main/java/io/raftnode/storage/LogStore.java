package io.raftnode.storage;

import io.raftnode.model.Entry;
import io.raftnode.model.LogId;
import java.io.IOException;
import java.util.List;

/**
 * The durable Raft log. Every method blocks on disk I/O: call it only from the node's storage worker, never from
 * the event loop. Calls come from one thread at a time, in order.
 */
public interface LogStore extends AutoCloseable {

  /** Every entry on disk, in index order, starting at index 1 or right after the last purge. */
  List<Entry> loadAll() throws IOException;

  /**
   * Remove every entry with index >= {@code truncateFrom} (0 = remove nothing), append {@code entries}
   * (contiguous, continuing the log) and make all of it durable before returning.
   */
  void append(long truncateFrom, List<Entry> entries) throws IOException;

  /**
   * Drops every entry with index <= {@code upTo.index()}, after a snapshot that covers them; durable on return. If
   * {@code upTo} is at or past the last entry, the log becomes empty and the next append starts at
   * {@code upTo.index() + 1}. A purge at or below the current purge point does nothing.
   */
  void purgeUpTo(LogId upTo) throws IOException;

  @Override
  void close() throws IOException;
}
