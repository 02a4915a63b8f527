package io.raftnode.internal.storage;

import io.raftnode.internal.model.LogId;
import java.nio.file.Path;

/**
 * A full segment, sealed: never written again (unless a suffix truncation reopens it). Holds at least one entry.
 * Its entries' offsets are known once it was written or scanned in this process; until then reads index it first.
 */
final class ClosedSegment {
  private final Path file;
  private final long firstIndex;
  private final LogId lastLogId;
  private volatile Positions positions;

  ClosedSegment(Path file, long firstIndex, LogId lastLogId, Positions positions) {
    this.file = file;
    this.firstIndex = firstIndex;
    this.lastLogId = lastLogId;
    this.positions = positions;
  }

  Path file() {
    return file;
  }

  long firstIndex() {
    return firstIndex;
  }

  LogId lastLogId() {
    return lastLogId;
  }

  long lastIndex() {
    return lastLogId.index();
  }

  /** The entries' offsets, or null when the segment has not been indexed in this process yet. */
  Positions positions() {
    return positions;
  }

  void indexed(Positions found) {
    positions = found;
  }
}
