package io.raftnode.core;

import io.raftnode.model.Entry;
import io.raftnode.model.EntryPayload;
import io.raftnode.model.LogId;
import io.raftnode.model.Membership;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The core's in-memory copy of the log. Indexes start at 1 and are contiguous; index 0 stands for "before the
 * first entry" and has term 0. The node keeps the durable copy; this one mirrors every AppendToLog the core emits.
 */
final class RaftLog {

  private final List<Entry> entries = new ArrayList<>();
  /** Indexes of membership entries, ascending, so the effective membership is found without a scan. */
  private final Deque<Long> membershipIndexes = new ArrayDeque<>();

  RaftLog(List<Entry> restored) {
    append(restored);
  }

  long lastIndex() {
    return entries.size();
  }

  /** The last entry's id, or null when the log is empty. */
  LogId lastLogId() {
    return logIdAt(lastIndex());
  }

  /** The entry at {@code index}, or null when the log does not hold it. */
  Entry entryAt(long index) {
    if (index < 1 || index > entries.size()) return null;
    return entries.get((int) (index - 1));
  }

  /** The id at {@code index}; null for index 0 or beyond the end. */
  LogId logIdAt(long index) {
    Entry e = entryAt(index);
    return e == null ? null : e.logId();
  }

  /** The term at {@code index}: 0 for index 0, -1 when the log does not reach that far. */
  long termAt(long index) {
    if (index == 0) return 0;
    Entry e = entryAt(index);
    return e == null ? -1 : e.term();
  }

  /** True when the log holds exactly {@code id}; null (index 0) is held by every log. */
  boolean holds(LogId id) {
    if (id == null || id.index() == 0) return true;
    Entry e = entryAt(id.index());
    return e != null && e.logId().equals(id);
  }

  /** Appends entries that must continue the log without a gap. */
  void append(List<Entry> more) {
    for (Entry e : more) {
      if (e.index() != lastIndex() + 1)
        throw new IllegalStateException("entry " + e.logId() + " does not follow index " + lastIndex());
      entries.add(e);
      if (e.payload() instanceof EntryPayload.MembershipChange) membershipIndexes.addLast(e.index());
    }
  }

  /** Removes every entry with index >= {@code from}. */
  void truncateFrom(long from) {
    if (from < 1) throw new IllegalArgumentException("truncate index must be >= 1: " + from);
    while (entries.size() >= from) entries.remove(entries.size() - 1);
    while (!membershipIndexes.isEmpty() && membershipIndexes.peekLast() >= from) membershipIndexes.removeLast();
  }

  /** Entries {@code from..to} inclusive (clamped to the log). */
  List<Entry> range(long from, long to) {
    long hi = Math.min(to, lastIndex());
    if (from > hi) return List.of();
    return List.copyOf(entries.subList((int) (from - 1), (int) hi));
  }

  /**
   * Entries starting at {@code from}, at most {@code maxEntries} of them and at most {@code maxBytes} of Normal
   * payload, but always at least one when the log reaches {@code from} (a large entry must still make progress).
   */
  List<Entry> slice(long from, int maxEntries, long maxBytes) {
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = from; i <= lastIndex() && out.size() < maxEntries; i++) {
      Entry e = entryAt(i);
      long size = payloadBytes(e);
      if (!out.isEmpty() && bytes + size > maxBytes) break;
      out.add(e);
      bytes += size;
    }
    return out;
  }

  /** The effective membership: the last membership entry in the log, else the empty membership. */
  Membership membership() {
    if (membershipIndexes.isEmpty()) return Membership.empty();
    EntryPayload p = entryAt(membershipIndexes.peekLast()).payload();
    return ((EntryPayload.MembershipChange) p).membership();
  }

  /** Normal payload bytes of {@code entries}: what the replication windows count. */
  static long payloadBytes(List<Entry> entries) {
    long bytes = 0;
    for (Entry e : entries) bytes += payloadBytes(e);
    return bytes;
  }

  private static long payloadBytes(Entry e) {
    return e.payload() instanceof EntryPayload.Normal n ? n.data().length : 0;
  }
}
