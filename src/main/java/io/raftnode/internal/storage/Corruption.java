package io.raftnode.internal.storage;

import java.nio.file.Path;

/** Builds CorruptDataExceptions with one message shape, so an operator always learns where and what to do. */
final class Corruption {
  static final String ADVICE =
      "Restore this node's data dir from a backup, or wipe it and let the node rejoin the cluster"
          + " (it gets the log back from the leader).";

  private Corruption() {}

  static CorruptDataException at(Path file, long offset, String problem) {
    return new CorruptDataException(file + " is corrupt at byte offset " + offset + ": " + problem + ". " + ADVICE);
  }
}
