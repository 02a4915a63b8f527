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
 * The core's in-memory copy of the log. Indexes are contiguous; index 0 stands for "before the first entry" and
 * has term 0. After a snapshot the log starts later: {@link #base()} is the last entry the snapshot covers (its id
 * is still known, so AppendEntries can build on it) and every entry up to it is gone. The node keeps the durable
 * copy; this one mirrors every AppendToLog and PurgeLog the core emits.
 */
final class RaftLog {

  private final List<Entry> entries = new ArrayList<>();
  /** Indexes of membership entries, ascending, so the effective membership is found without a scan. */
  private final Deque<Long> membershipIndexes = new ArrayDeque<>();
  /** The last purged entry (null: the log starts at index 1) and the membership in force there. */
  private LogId base;
  private Membership baseMembership = Membership.empty();

  RaftLog(List<Entry> restored) {
    append(restored);
  }

  /** A log that continues after a snapshot covering everything up to {@code base}. */
  RaftLog(LogId base, Membership baseMembership, List<Entry> restored) {
    this.base = base;
    this.baseMembership = baseMembership;
    List<Entry> after = restored.stream().filter(e -> e.index() > LogId.indexOf(base)).toList();
    append(after);
  }

  /** The last entry removed by compaction, or null when the log still starts at index 1. */
  LogId base() {
    return base;
  }

  long baseIndex() {
    return LogId.indexOf(base);
  }

  long lastIndex() {
    return baseIndex() + entries.size();
  }

  /**
   * Drops every entry up to {@code upTo}, which must be held (or be the current base). The membership in force
   * at {@code upTo} becomes the base membership, so the effective membership does not change.
   */
  void purgeUpTo(LogId upTo) {
    if (upTo.index() <= baseIndex()) return;
    if (!holds(upTo)) throw new IllegalStateException("cannot purge up to " + upTo + ": the log does not hold it");
    baseMembership = membershipAt(upTo.index());
    entries.subList(0, (int) (upTo.index() - baseIndex())).clear();
    while (!membershipIndexes.isEmpty() && membershipIndexes.peekFirst() <= upTo.index()) membershipIndexes.removeFirst();
    base = upTo;
  }

  /** Drops the whole log: it continues after {@code newBase} (a snapshot's last id) with {@code membership}. */
  void resetTo(LogId newBase, Membership membership) {
    entries.clear();
    membershipIndexes.clear();
    base = newBase;
    baseMembership = membership;
  }

  /** The membership in force at {@code index} (the last membership entry at or before it, else the base's). */
  Membership membershipAt(long index) {
    Membership found = baseMembership;
    for (long i : membershipIndexes) {
      if (i > index) break;
      found = ((EntryPayload.MembershipChange) entryAt(i).payload()).membership();
    }
    return found;
  }

  /** The id of the last membership entry at or before {@code index} still in the log, else null. */
  LogId membershipLogIdAt(long index) {
    LogId found = null;
    for (long i : membershipIndexes) {
      if (i > index) break;
      found = entryAt(i).logId();
    }
    return found;
  }

  /** The last entry's id, or null when the log is empty. */
  LogId lastLogId() {
    return logIdAt(lastIndex());
  }

  /** The entry at {@code index}, or null when the log does not hold it. */
  Entry entryAt(long index) {
    if (index <= baseIndex() || index > lastIndex()) return null;
    return entries.get((int) (index - baseIndex() - 1));
  }

  /** The id at {@code index}; the base's id at the base index; null for index 0, purged indexes or past the end. */
  LogId logIdAt(long index) {
    if (base != null && index == base.index()) return base;
    Entry e = entryAt(index);
    return e == null ? null : e.logId();
  }

  /** The term at {@code index}: 0 for index 0, -1 when purged or when the log does not reach that far. */
  long termAt(long index) {
    if (index == 0) return 0;
    if (base != null && index == base.index()) return base.term();
    Entry e = entryAt(index);
    return e == null ? -1 : e.term();
  }

  /**
   * True when the log holds exactly {@code id}; null (index 0) is held by every log, and so is anything at or
   * below the base: those entries are committed and covered by the snapshot, so they match any leader's.
   */
  boolean holds(LogId id) {
    if (id == null || id.index() <= baseIndex()) return true;
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
    if (from <= baseIndex()) throw new IllegalArgumentException("truncate index must be above the base: " + from);
    while (lastIndex() >= from) entries.remove(entries.size() - 1);
    while (!membershipIndexes.isEmpty() && membershipIndexes.peekLast() >= from) membershipIndexes.removeLast();
  }

  /** Entries {@code from..to} inclusive (clamped to the log). */
  List<Entry> range(long from, long to) {
    long hi = Math.min(to, lastIndex());
    long lo = Math.max(from, baseIndex() + 1);
    if (lo > hi) return List.of();
    return List.copyOf(entries.subList((int) (lo - baseIndex() - 1), (int) (hi - baseIndex())));
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

  /** The effective membership: the last membership entry in the log, else the base's (empty without a snapshot). */
  Membership membership() {
    if (membershipIndexes.isEmpty()) return baseMembership;
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
