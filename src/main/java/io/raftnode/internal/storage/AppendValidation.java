package io.raftnode.internal.storage;

import io.raftnode.internal.model.Entry;
import java.util.List;

/** The write contract shared by every LogStore, so the in-memory store catches the same caller bugs as the file one. */
final class AppendValidation {
  private AppendValidation() {}

  /**
   * Throws IllegalArgumentException unless {@code entries} start at {@code truncateFrom} (or right after
   * {@code lastIndex} when truncateFrom is 0) and are contiguous. truncateFrom may be at most lastIndex + 1 (anything
   * beyond would leave a gap) and must be above {@code purgedIndex} (purged entries are gone).
   */
  static void check(long purgedIndex, long lastIndex, long truncateFrom, List<Entry> entries) {
    if (entries == null) throw new IllegalArgumentException("entries must not be null");
    if (truncateFrom < 0) throw new IllegalArgumentException("truncateFrom must be >= 0: " + truncateFrom);
    if (truncateFrom > lastIndex + 1)
      throw new IllegalArgumentException(
          "truncateFrom " + truncateFrom + " is beyond the end of the log (last index " + lastIndex + ")");
    if (truncateFrom > 0 && truncateFrom <= purgedIndex)
      throw new IllegalArgumentException(
          "truncateFrom " + truncateFrom + " reaches into the purged prefix (entries up to " + purgedIndex
              + " were purged)");
    long expected = truncateFrom > 0 ? truncateFrom : lastIndex + 1;
    for (Entry entry : entries) {
      if (entry == null) throw new IllegalArgumentException("entries must not contain null");
      if (entry.index() != expected)
        throw new IllegalArgumentException(
            "entry " + entry.logId() + " has index " + entry.index() + " but the log needs index " + expected
                + " next (last index " + lastIndex + ", truncateFrom " + truncateFrom + ")");
      expected++;
    }
  }
}
