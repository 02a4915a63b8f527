package io.raftnode.storage;

import io.raftnode.model.Entry;
import java.io.IOException;
import java.util.List;

/**
 * The durable Raft log. Every method blocks on disk I/O: call it only from the node's storage worker, never from
 * the event loop. Calls come from one thread at a time, in order.
 */
public interface LogStore extends AutoCloseable {

  /** Every entry on disk, in index order, starting at index 1. */
  List<Entry> loadAll() throws IOException;

  /**
   * Remove every entry with index >= {@code truncateFrom} (0 = remove nothing), append {@code entries}
   * (contiguous, continuing the log) and make all of it durable before returning.
   */
  void append(long truncateFrom, List<Entry> entries) throws IOException;

  @Override
  void close() throws IOException;
}
