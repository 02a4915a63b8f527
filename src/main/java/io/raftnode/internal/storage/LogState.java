package io.raftnode.internal.storage;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import java.util.List;

/**
 * What {@link LogStore#loadFrom} found: the last purged id (null when the log starts at index 1), the id of the
 * log's last entry (the purged id when no entry is left, null for an empty log) and the entries read, in order.
 */
public record LogState(LogId purgedLogId, LogId lastLogId, List<Entry> entries) {
  public LogState {
    entries = List.copyOf(entries);
  }
}
