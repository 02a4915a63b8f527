package io.raftnode.internal.node;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.storage.LogStore;
import java.io.IOException;
import java.util.List;

/**
 * At startup, makes the log continue from the newest snapshot. A node may apply, and so snapshot, entries that are
 * not yet durable in its own log (an entry commits once a majority holds it, which need not include this node's
 * copy). A crash then leaves the stored log short of the snapshot, or holding another entry at the snapshot's
 * index; the first append after the snapshot would leave a gap and the storage would refuse it. The log is reset
 * to continue after the snapshot, as installing a leader's snapshot does. Nothing acknowledged is lost: an entry
 * after the snapshot's index was only ever acknowledged together with the committed entry at that index.
 */
final class SnapshotLogAlignment {
  private SnapshotLogAlignment() {}

  /** Returns true when the log had to be reset. */
  static boolean align(LogStore log, LogId snapshotLast) throws IOException {
    if (snapshotLast == null || holds(log, snapshotLast)) return false;
    long firstIndex = log.firstIndex();
    if (LogId.indexOf(log.lastLogId()) >= firstIndex) log.append(firstIndex, List.of());
    log.purgeUpTo(snapshotLast);
    return true;
  }

  private static boolean holds(LogStore log, LogId id) throws IOException {
    LogId purged = log.purgedLogId();
    if (id.index() <= LogId.indexOf(purged)) return id.index() < LogId.indexOf(purged) || id.equals(purged);
    if (id.index() > LogId.indexOf(log.lastLogId())) return false;
    List<Entry> from = log.read(id.index(), 1, 1);
    return !from.isEmpty() && from.get(0).logId().equals(id);
  }
}
