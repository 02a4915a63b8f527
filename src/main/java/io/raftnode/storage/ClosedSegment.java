package io.raftnode.storage;

import io.raftnode.model.LogId;
import java.nio.file.Path;

/** A full segment, sealed: never written again (unless a suffix truncation reopens it). Holds at least one entry. */
record ClosedSegment(Path file, long firstIndex, LogId lastLogId) {
  long lastIndex() {
    return lastLogId.index();
  }
}
