package io.raftnode.internal.core;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LeaderId;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.LogOutline;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.StoredMembership;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The core's view of the log. Indexes are contiguous; index 0 stands for "before the first entry" and has term 0.
 * After a snapshot the log starts later: {@link #base()} is the last entry the snapshot covers (its id is still
 * known, so AppendEntries can build on it) and every entry up to it is gone. The node keeps the durable copy; this
 * one mirrors every AppendToLog and PurgeLog the core emits.
 *
 * <p>The ids of every index in {@code (base, last]} are always in memory ({@link LeaderRuns}), and so are the
 * membership entries; payloads are held only for a window that reaches the last index ({@link EntryWindow}). The
 * older end of the window is let go by {@link #evictUpTo} once its entries are durable and applied; entries before
 * the window are read from disk when needed ({@link Action.ReadEntries}). {@link #entryAt}, {@link #range} and
 * {@link #slice} see the window only.
 */
final class RaftLog {

  private final LeaderRuns ids;
  private final EntryWindow window;
  /** The membership entries, ascending, so the effective membership is found without a scan or a read. */
  private final Deque<Entry> membershipEntries = new ArrayDeque<>();
  /** The last purged entry (null: the log starts at index 1) and the membership in force there, with its entry id. */
  private LogId base;
  private Membership baseMembership = Membership.empty();
  private LogId baseMembershipId;

  RaftLog(List<Entry> restored) {
    this.ids = new LeaderRuns(0);
    this.window = new EntryWindow(0);
    append(restored);
  }

  /** A log that continues after a snapshot covering everything up to {@code base}. */
  RaftLog(LogId base, StoredMembership baseMembership, List<Entry> restored) {
    this.ids = new LeaderRuns(LogId.indexOf(base));
    this.window = new EntryWindow(LogId.indexOf(base));
    setBase(base, baseMembership);
    append(restored.stream().filter(e -> e.index() > LogId.indexOf(base)).toList());
  }

  /**
   * A log restored from its outline: the ids of every index after {@code base} (null = none) from {@code outline},
   * which must cover them all, and the payloads only of {@code tail}, the last entries (possibly none).
   */
  RaftLog(LogId base, StoredMembership baseMembership, LogOutline outline, List<Entry> tail) {
    long after = LogId.indexOf(base);
    this.ids = new LeaderRuns(after);
    setBase(base, baseMembership);
    addOutlineRuns(outline, after);
    for (Entry e : outline.membershipEntries()) if (e.index() > after) membershipEntries.addLast(e);
    long tailStart = tail.isEmpty() ? ids.lastIndex() + 1 : tail.get(0).index();
    if (tailStart <= after) throw new IllegalArgumentException("the tail must start after the base " + base);
    this.window = new EntryWindow(tailStart - 1);
    for (Entry e : tail) {
      if (!e.logId().equals(logIdAt(e.index()))) throw new IllegalArgumentException("tail entry " + e.logId() + " is not in the outline");
      window.add(e);
    }
    if (window.lastIndex() != ids.lastIndex()) throw new IllegalArgumentException("the tail must end at the outline's last id");
  }

  private void setBase(LogId base, StoredMembership baseMembership) {
    this.base = base;
    this.baseMembership = baseMembership == null ? Membership.empty() : baseMembership.membership();
    this.baseMembershipId = baseMembership == null ? null : baseMembership.logId();
  }

  private void addOutlineRuns(LogOutline outline, long after) {
    if (outline.lastLogId() == null || outline.lastLogId().index() <= after) return;
    if (outline.firstIndex() > after + 1) throw new IllegalArgumentException("the outline starts after index " + (after + 1));
    List<LogId> starts = outline.runStarts();
    for (int i = 0; i < starts.size(); i++) {
      long end = i + 1 < starts.size() ? starts.get(i + 1).index() - 1 : outline.lastLogId().index();
      if (end <= after) continue;
      ids.addRun(Math.max(after + 1, starts.get(i).index()), end, starts.get(i).leaderId());
    }
  }

  /** The last entry removed by compaction, or null when the log still starts at index 1. */
  LogId base() {
    return base;
  }

  long baseIndex() {
    return LogId.indexOf(base);
  }

  long lastIndex() {
    return ids.lastIndex();
  }

  /** True when the payload of {@code index} is in memory. */
  boolean inMemory(long index) {
    return window.holdsIndex(index);
  }

  /** What the entries in memory cost (payloads plus a fixed overhead each). */
  long bytesInMemory() {
    return window.bytes();
  }

  /** The first index whose entry is in memory ({@code lastIndex + 1} when none is). */
  long firstInMemory() {
    return window.base() + 1;
  }

  /** Lets entries up to {@code upTo} leave memory, oldest first, while the window costs more than {@code maxBytes}. */
  void evictUpTo(long upTo, long maxBytes) {
    while (window.bytes() > maxBytes && window.base() < upTo && window.size() > 0) window.dropFirst();
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
    ids.dropUpTo(upTo.index());
    if (upTo.index() > window.base()) window.dropUpTo(upTo.index());
    while (!membershipEntries.isEmpty() && membershipEntries.peekFirst().index() <= upTo.index()) {
      membershipEntries.removeFirst();
    }
    base = upTo;
  }

  /** Drops the whole log: it continues after {@code newBase} (a snapshot's last id) with {@code membership}. */
  void resetTo(LogId newBase, StoredMembership membership) {
    ids.clear(newBase.index());
    window.clear(newBase.index());
    membershipEntries.clear();
    setBase(newBase, membership);
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

  /** The entry at {@code index}, or null when it is not in memory (purged, past the end, or on disk only). */
  Entry entryAt(long index) {
    return window.holdsIndex(index) ? window.get(index) : null;
  }

  /** The id at {@code index}; the base's id at the base index; null for index 0, purged indexes or past the end. */
  LogId logIdAt(long index) {
    if (base != null && index == base.index()) return base;
    LeaderId leader = index <= baseIndex() ? null : ids.leaderAt(index);
    return leader == null ? null : new LogId(leader, index);
  }

  /** The term at {@code index}: 0 for index 0, -1 when purged or when the log does not reach that far. */
  long termAt(long index) {
    if (index == 0) return 0;
    if (base != null && index == base.index()) return base.term();
    LeaderId leader = index <= baseIndex() ? null : ids.leaderAt(index);
    return leader == null ? -1 : leader.term();
  }

  /**
   * True when the log holds exactly {@code id}; null (index 0) is held by every log, and so is anything at or
   * below the base: those entries are committed and covered by the snapshot, so they match any leader's.
   */
  boolean holds(LogId id) {
    if (id == null || id.index() <= baseIndex()) return true;
    return id.leaderId().equals(ids.leaderAt(id.index()));
  }

  /** Appends entries that must continue the log without a gap. */
  void append(List<Entry> more) {
    for (Entry e : more) {
      if (e.index() != lastIndex() + 1)
        throw new IllegalStateException("entry " + e.logId() + " does not follow index " + lastIndex());
      ids.add(e.logId());
      window.add(e);
      if (e.payload() instanceof EntryPayload.MembershipChange) membershipEntries.addLast(e);
    }
  }

  /** Removes every entry with index >= {@code from}, which must be above the base. */
  void truncateFrom(long from) {
    if (from <= baseIndex()) throw new IllegalArgumentException("truncate index must be above the base: " + from);
    if (from > lastIndex()) return;
    ids.truncateFrom(from);
    window.truncateFrom(from);
    while (!membershipEntries.isEmpty() && membershipEntries.peekLast().index() >= from) membershipEntries.removeLast();
  }

  /** Entries {@code from..to} inclusive (clamped to the log), if {@code from} is in memory; else none. */
  List<Entry> range(long from, long to) {
    long hi = Math.min(to, lastIndex());
    if (from > hi || !window.holdsIndex(from)) return List.of();
    return window.range(from, hi);
  }

  /**
   * Entries in memory starting at {@code from}, at most {@code maxEntries} of them and at most {@code maxBytes} of
   * Normal payload, but always at least one when {@code from} is in memory (a large entry must still make progress).
   */
  List<Entry> slice(long from, int maxEntries, long maxBytes) {
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = from; window.holdsIndex(i) && out.size() < maxEntries; i++) {
      Entry e = window.get(i);
      long size = payloadBytes(e);
      if (!out.isEmpty() && bytes + size > maxBytes) break;
      out.add(e);
      bytes += size;
    }
    return out;
  }

  /**
   * Of entries read from disk starting at {@code from}, the leading run that this log still holds (above the base,
   * same ids, no gap): a read that a truncation or a purge overtook yields less, or nothing.
   */
  List<Entry> stillHeld(long from, List<Entry> read) {
    int n = 0;
    while (n < read.size()) {
      Entry e = read.get(n);
      if (e.index() != from + n || e.index() <= baseIndex() || !e.logId().equals(logIdAt(e.index()))) break;
      n++;
    }
    return List.copyOf(read.subList(0, n));
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
