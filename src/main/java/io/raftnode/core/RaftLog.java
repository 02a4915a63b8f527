package io.raftnode.core;

import io.raftnode.model.Entry;
import io.raftnode.model.EntryPayload;
import io.raftnode.model.LogId;
import io.raftnode.model.Membership;
import io.raftnode.model.StoredMembership;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The core's in-memory copy of the log. Indexes are contiguous; index 0 stands for "before the first entry" and
 * has term 0. After a snapshot the log starts later: {@link #base()} is the last entry the snapshot covers (its id
 * is still known, so AppendEntries can build on it) and every entry up to it is gone. The node keeps the durable
 * copy; this one mirrors every AppendToLog and PurgeLog the core emits.
 *
 * <p>Entries handed out for applying can be packed into bytes ({@link #packUpTo}, with an {@link EntryPacking}):
 * the log then holds {@code (base, packed last]} as {@link PackedEntries} and the rest as objects. Packed entries
 * are committed, so they are never truncated; reading one decodes it.
 */
final class RaftLog {

  /** Null without an {@link EntryPacking}: entries stay objects until purged. */
  private final PackedEntries packed;
  /** The entries after {@link #listBase}, as objects. */
  private final List<Entry> entries = new ArrayList<>();
  /** The index before the first entry of {@link #entries}: the last packed one, else the base. */
  private long listBase;
  /** The membership entries, ascending, so the effective membership is found without a scan or a decode. */
  private final Deque<Entry> membershipEntries = new ArrayDeque<>();
  /** The last purged entry (null: the log starts at index 1) and the membership in force there, with its entry id. */
  private LogId base;
  private Membership baseMembership = Membership.empty();
  private LogId baseMembershipId;

  RaftLog(List<Entry> restored, EntryPacking packing) {
    this.packed = packing == null ? null : new PackedEntries(packing);
    append(restored);
  }

  /** A log that continues after a snapshot covering everything up to {@code base}. */
  RaftLog(LogId base, StoredMembership baseMembership, List<Entry> restored, EntryPacking packing) {
    this.packed = packing == null ? null : new PackedEntries(packing);
    this.base = base;
    this.listBase = LogId.indexOf(base);
    this.baseMembership = baseMembership.membership();
    this.baseMembershipId = baseMembership.logId();
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
    return listBase + entries.size();
  }

  /**
   * Drops every entry up to {@code upTo}, which must be held (or be the current base). The membership in force
   * at {@code upTo} becomes the base membership, so the effective membership does not change.
   */
  void purgeUpTo(LogId upTo) {
    if (upTo.index() <= baseIndex()) return;
    if (!holds(upTo)) throw new IllegalStateException("cannot purge up to " + upTo + ": the log does not hold it");
    LogId membershipId = membershipLogIdAt(upTo.index());
    if (membershipId != null) baseMembershipId = membershipId;
    baseMembership = membershipAt(upTo.index());
    if (packed != null) packed.dropUpTo(upTo.index());
    if (upTo.index() > listBase) {
      entries.subList(0, (int) (upTo.index() - listBase)).clear();
      listBase = upTo.index();
    }
    while (!membershipEntries.isEmpty() && membershipEntries.peekFirst().index() <= upTo.index()) {
      membershipEntries.removeFirst();
    }
    base = upTo;
  }

  /** Drops the whole log: it continues after {@code newBase} (a snapshot's last id) with {@code membership}. */
  void resetTo(LogId newBase, StoredMembership membership) {
    entries.clear();
    if (packed != null) packed.clear(newBase.index() + 1);
    listBase = newBase.index();
    membershipEntries.clear();
    base = newBase;
    baseMembership = membership.membership();
    baseMembershipId = membership.logId();
  }

  /**
   * Packs the entries up to {@code index} (committed and handed out for applying) into bytes; nothing happens
   * without an {@link EntryPacking}.
   */
  void packUpTo(long index) {
    if (packed == null) return;
    int n = (int) (Math.min(index, lastIndex()) - listBase);
    if (n <= 0) return;
    List<Entry> moving = entries.subList(0, n);
    for (Entry e : moving) packed.add(e);
    moving.clear();
    listBase += n;
  }

  /** The membership in force at {@code index} (the last membership entry at or before it, else the base's). */
  Membership membershipAt(long index) {
    Membership found = baseMembership;
    for (Entry e : membershipEntries) {
      if (e.index() > index) break;
      found = membershipOf(e);
    }
    return found;
  }

  /** The id of the last membership entry at or before {@code index} still in the log, else null. */
  LogId membershipLogIdAt(long index) {
    LogId found = null;
    for (Entry e : membershipEntries) {
      if (e.index() > index) break;
      found = e.logId();
    }
    return found;
  }

  /** The last entry's id, or null when the log is empty. */
  LogId lastLogId() {
    return logIdAt(lastIndex());
  }

  /** The entry at {@code index}, or null when the log does not hold it; a packed one is decoded afresh. */
  Entry entryAt(long index) {
    if (index <= baseIndex() || index > lastIndex()) return null;
    if (index <= listBase) return packed.get(index);
    return entries.get((int) (index - listBase - 1));
  }

  /** The id at {@code index}; the base's id at the base index; null for index 0, purged indexes or past the end. */
  LogId logIdAt(long index) {
    if (base != null && index == base.index()) return base;
    if (index <= baseIndex() || index > lastIndex()) return null;
    if (index <= listBase) return packed.logIdAt(index);
    return entries.get((int) (index - listBase - 1)).logId();
  }

  /** The term at {@code index}: 0 for index 0, -1 when purged or when the log does not reach that far. */
  long termAt(long index) {
    if (index == 0) return 0;
    if (base != null && index == base.index()) return base.term();
    if (index <= baseIndex() || index > lastIndex()) return -1;
    if (index <= listBase) return packed.leaderAt(index).term();
    return entries.get((int) (index - listBase - 1)).term();
  }

  /**
   * True when the log holds exactly {@code id}; null (index 0) is held by every log, and so is anything at or
   * below the base: those entries are committed and covered by the snapshot, so they match any leader's.
   */
  boolean holds(LogId id) {
    if (id == null || id.index() <= baseIndex()) return true;
    if (id.index() > lastIndex()) return false;
    if (id.index() <= listBase) return packed.leaderAt(id.index()).equals(id.leaderId());
    return entries.get((int) (id.index() - listBase - 1)).logId().equals(id);
  }

  /** Appends entries that must continue the log without a gap. */
  void append(List<Entry> more) {
    for (Entry e : more) {
      if (e.index() != lastIndex() + 1)
        throw new IllegalStateException("entry " + e.logId() + " does not follow index " + lastIndex());
      entries.add(e);
      if (e.payload() instanceof EntryPayload.MembershipChange) membershipEntries.addLast(e);
    }
  }

  /** Removes every entry with index >= {@code from}; packed entries are committed and cannot be removed. */
  void truncateFrom(long from) {
    if (from <= listBase) throw new IllegalArgumentException("truncate index must be above the packed entries and the base: " + from);
    if (from > lastIndex()) return;
    entries.subList((int) (from - listBase - 1), entries.size()).clear();
    while (!membershipEntries.isEmpty() && membershipEntries.peekLast().index() >= from) membershipEntries.removeLast();
  }

  /** Entries {@code from..to} inclusive (clamped to the log). */
  List<Entry> range(long from, long to) {
    long hi = Math.min(to, lastIndex());
    long lo = Math.max(from, baseIndex() + 1);
    if (lo > hi) return List.of();
    if (lo > listBase) return List.copyOf(entries.subList((int) (lo - listBase - 1), (int) (hi - listBase)));
    List<Entry> out = new ArrayList<>((int) (hi - lo + 1));
    for (long i = lo; i <= hi; i++) out.add(entryAt(i));
    return out;
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

  /** The id of the entry that carried the effective membership; null for none (a node not yet added). */
  LogId membershipLogId() {
    return membershipEntries.isEmpty() ? baseMembershipId : membershipEntries.peekLast().logId();
  }

  /** The effective membership: the last membership entry in the log, else the base's (empty without a snapshot). */
  Membership membership() {
    return membershipEntries.isEmpty() ? baseMembership : membershipOf(membershipEntries.peekLast());
  }

  private static Membership membershipOf(Entry e) {
    return ((EntryPayload.MembershipChange) e.payload()).membership();
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
