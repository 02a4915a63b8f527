package io.raftnode.internal.core;

import io.raftnode.internal.model.LeaderId;
import io.raftnode.internal.model.LogId;
import java.util.ArrayList;
import java.util.List;

/**
 * The id of every index a log holds, without its entries: the log is cut into runs of consecutive indexes that one
 * leader created, so a term and a leader are known for any index in memory while the payloads may live on disk
 * only. There are as many runs as leaders whose entries the log holds, a handful, whatever the log's length.
 */
final class LeaderRuns {

  private record Run(long firstIndex, LeaderId leaderId) {}

  /** Ascending by first index; each run ends where the next begins, the last at {@link #lastIndex}. */
  private final List<Run> runs = new ArrayList<>();
  private long lastIndex;

  /** Runs covering nothing yet: the next id added must have index {@code afterIndex + 1}. */
  LeaderRuns(long afterIndex) {
    this.lastIndex = afterIndex;
  }

  long lastIndex() {
    return lastIndex;
  }

  /** The first index covered, or {@code lastIndex + 1} when nothing is. */
  long firstIndex() {
    return runs.isEmpty() ? lastIndex + 1 : runs.get(0).firstIndex();
  }

  /** Adds the id of the index after the last one. */
  void add(LogId id) {
    if (id.index() != lastIndex + 1) throw new IllegalStateException("id " + id + " does not follow index " + lastIndex);
    if (runs.isEmpty() || !runs.get(runs.size() - 1).leaderId().equals(id.leaderId())) {
      runs.add(new Run(id.index(), id.leaderId()));
    }
    lastIndex = id.index();
  }

  /** Adds indexes {@code first..last}, all created by {@code leader}. */
  void addRun(long first, long last, LeaderId leader) {
    if (first != lastIndex + 1) throw new IllegalStateException("run at " + first + " does not follow index " + lastIndex);
    if (last < first) return;
    if (runs.isEmpty() || !runs.get(runs.size() - 1).leaderId().equals(leader)) runs.add(new Run(first, leader));
    lastIndex = last;
  }

  /** The leader that created the entry at {@code index}, or null when it is not covered. */
  LeaderId leaderAt(long index) {
    if (runs.isEmpty() || index < runs.get(0).firstIndex() || index > lastIndex) return null;
    int lo = 0;
    int hi = runs.size() - 1;
    while (lo < hi) { // the last run starting at or before index
      int mid = (lo + hi + 1) >>> 1;
      if (runs.get(mid).firstIndex() <= index) lo = mid;
      else hi = mid - 1;
    }
    return runs.get(lo).leaderId();
  }

  /** Forgets every index >= {@code from}. */
  void truncateFrom(long from) {
    if (from > lastIndex) return;
    while (!runs.isEmpty() && runs.get(runs.size() - 1).firstIndex() >= from) runs.remove(runs.size() - 1);
    lastIndex = from - 1;
  }

  /** Forgets every index: the next id added must follow {@code afterIndex}. */
  void clear(long afterIndex) {
    runs.clear();
    lastIndex = afterIndex;
  }

  /** Forgets every index <= {@code index}; past the last one, the next id added must follow {@code index}. */
  void dropUpTo(long index) {
    if (index >= lastIndex) {
      clear(index);
      return;
    }
    long first = index + 1;
    while (runs.size() > 1 && runs.get(1).firstIndex() <= first) runs.remove(0);
    if (!runs.isEmpty() && runs.get(0).firstIndex() < first) runs.set(0, new Run(first, runs.get(0).leaderId()));
  }
}
