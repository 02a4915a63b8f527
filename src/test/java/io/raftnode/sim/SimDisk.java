package io.raftnode.sim;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.Vote;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One node's disk: the durable vote, log and latest snapshot, plus the writes submitted but not yet durable. Writes
 * become durable one at a time in submission order (the node's single storage thread), each after a random delay.
 * A crash keeps a random prefix of the pending writes (the last one possibly torn: only some of its entries
 * survive; a snapshot install is all or nothing) and loses the rest, with every callback waiting on them. The log
 * holds the entries after {@code base}, the last purged id; a taken snapshot is stored at once when written (the
 * snapshot store's atomic rename, apart from the log writes), an installed one in order with the log writes.
 */
final class SimDisk {

  private static final class Write {
    final Vote vote;
    final long truncateFrom;
    final List<Entry> entries;
    final Runnable onDurable;
    final List<Runnable> after = new ArrayList<>();
    /** A purge (with no snapshot) or an install (with one): the log then continues after this id. */
    LogId purgeTo;
    Snapshot install;

    Write(Vote vote, long truncateFrom, List<Entry> entries, Runnable onDurable) {
      this.vote = vote;
      this.truncateFrom = truncateFrom;
      this.entries = entries;
      this.onDurable = onDurable;
    }
  }

  /** A stored snapshot: what it covers and the state machine's bytes. */
  record Snapshot(SnapshotMeta meta, byte[] data) {}

  private final SimClock clock;
  private final Random random;
  private final int maxDelayMs;
  private Vote vote = Vote.INITIAL;
  private final List<Entry> log = new ArrayList<>();
  private LogId base;
  private Snapshot snapshot;
  private final Deque<Write> pending = new ArrayDeque<>();
  /** Bumped on every crash so that completions scheduled before it do nothing. */
  private int generation;
  private long lastDoneAt;
  long lostWrites;

  SimDisk(SimClock clock, Random random, int maxDelayMs, List<Entry> initialLog) {
    this.clock = clock;
    this.random = random;
    this.maxDelayMs = maxDelayMs;
    log.addAll(initialLog);
  }

  Vote durableVote() {
    return vote;
  }

  /** The durable entries after the last purged one. */
  List<Entry> durableLog() {
    return List.copyOf(log);
  }

  /** The durable latest snapshot, or null. */
  Snapshot durableSnapshot() {
    return snapshot;
  }

  /** The durable entry at {@code index}, or null (also when purged). */
  Entry durableEntry(long index) {
    long i = index - LogId.indexOf(base);
    return i >= 1 && i <= log.size() ? log.get((int) i - 1) : null;
  }

  /** A snapshot just written by the node becomes the latest, unless one at a later index already is. */
  void storeSnapshot(SnapshotMeta meta, byte[] data) {
    if (snapshot == null || meta.lastIndex() > snapshot.meta().lastIndex()) snapshot = new Snapshot(meta, data);
  }

  /**
   * At startup, as the node's SnapshotLogAlignment: when the durable log does not hold the snapshot's last entry
   * (it applied entries before they were durable here, then crashed), the log is reset to continue after it.
   */
  boolean alignWithSnapshot() {
    if (snapshot == null) return false;
    LogId last = snapshot.meta().lastLogId();
    long baseIndex = LogId.indexOf(base);
    if (last.index() < baseIndex || last.equals(base)) return false;
    Entry held = durableEntry(last.index());
    if (held != null && held.logId().equals(last)) return false;
    log.clear();
    base = last;
    logChanges++;
    return true;
  }

  /** Drops every entry up to and including {@code upTo}. */
  void purge(LogId upTo) {
    Write w = new Write(null, 0, List.of(), null);
    w.purgeTo = upTo;
    submit(w);
  }

  /** Installs a leader's snapshot, then resets the log as {@code Action.RestoreSnapshot} says. */
  void install(SnapshotMeta meta, byte[] data, long truncateFrom, Runnable onDurable) {
    Write w = new Write(null, truncateFrom, List.of(), onDurable);
    w.purgeTo = meta.lastLogId();
    w.install = new Snapshot(meta, data);
    submit(w);
  }

  int pendingWrites() {
    return pending.size();
  }

  void saveVote(Vote v) {
    submit(new Write(v, 0, List.of(), null));
  }

  void append(long truncateFrom, List<Entry> entries, Runnable onDurable) {
    submit(new Write(null, truncateFrom, entries, onDurable));
  }

  /** Runs {@code action} once every write submitted so far is durable: now if none is pending. */
  void afterPendingWrites(Runnable action) {
    if (pending.isEmpty()) action.run();
    else pending.peekLast().after.add(action);
  }

  /** Loses the node's memory: a random prefix of the pending writes survives, the rest is gone. */
  void crash() {
    int keep = pending.isEmpty() ? 0 : random.nextInt(pending.size() + 1);
    for (int i = 0; i < keep; i++) persist(pending.poll(), Integer.MAX_VALUE);
    if (!pending.isEmpty() && random.nextBoolean()) {
      Write torn = pending.peek();
      if (torn.vote == null && torn.purgeTo == null && !torn.entries.isEmpty()) persist(torn, random.nextInt(torn.entries.size()));
    }
    lostWrites += pending.size();
    pending.clear();
    generation++;
    lastDoneAt = clock.now();
  }

  /** Truncations and purges so far: a read that overlaps one returns nothing, as SegmentedLogStore's does. */
  private long logChanges;

  /**
   * LogStore.read, on the reader thread: after a random delay, {@code done} gets a bounded run of the durable log
   * from {@code from} (at least one entry when it holds {@code from}), or nothing when it does not, or when a
   * truncation or purge completed while the read was under way. A crash meanwhile drops it.
   */
  void read(long from, int maxEntries, long maxBytes, Consumer<List<Entry>> done, Runnable raced) {
    long changesAtStart = logChanges;
    int gen = generation;
    clock.after(random.nextInt(maxDelayMs + 1), () -> {
      if (gen != generation) return;
      if (changesAtStart != logChanges) raced.run();
      done.accept(changesAtStart == logChanges ? readNow(from, maxEntries, maxBytes) : List.of());
    });
  }

  private List<Entry> readNow(long from, int maxEntries, long maxBytes) {
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = from; out.size() < maxEntries; i++) {
      Entry e = durableEntry(i);
      if (e == null) break;
      long size = e.payload() instanceof EntryPayload.Normal n ? n.data().length : 0;
      if (!out.isEmpty() && bytes + size > maxBytes) break;
      out.add(e);
      bytes += size;
    }
    return out;
  }

  private void submit(Write w) {
    pending.add(w);
    long doneAt = Math.max(lastDoneAt, clock.now() + random.nextInt(maxDelayMs + 1));
    lastDoneAt = doneAt;
    int gen = generation;
    clock.after(doneAt - clock.now(), () -> {
      if (gen == generation) completeHead();
    });
  }

  private void completeHead() {
    Write w = pending.poll();
    persist(w, Integer.MAX_VALUE);
    if (w.onDurable != null) w.onDurable.run();
    w.after.forEach(Runnable::run);
  }

  /** Makes {@code w} durable, or only its first {@code entryCount} entries (a torn write). */
  private void persist(Write w, int entryCount) {
    if (w.vote != null) {
      vote = w.vote;
      return;
    }
    long baseIndex = LogId.indexOf(base);
    if (w.truncateFrom > baseIndex && w.truncateFrom <= baseIndex + log.size()) {
      log.subList((int) (w.truncateFrom - baseIndex) - 1, log.size()).clear();
      logChanges++;
    }
    if (w.install != null) storeSnapshot(w.install.meta(), w.install.data());
    if (w.purgeTo != null) purgeNow(w.purgeTo);
    List<Entry> kept = w.entries.subList(0, Math.min(entryCount, w.entries.size()));
    for (Entry e : kept) {
      if (e.index() != LogId.indexOf(base) + log.size() + 1) throw new IllegalStateException("disk write " + e.logId() + " leaves a gap");
      log.add(e);
    }
  }

  private void purgeNow(LogId upTo) {
    long baseIndex = LogId.indexOf(base);
    if (upTo.index() <= baseIndex) return;
    int drop = (int) Math.min(log.size(), upTo.index() - baseIndex);
    log.subList(0, drop).clear();
    base = upTo;
    logChanges++;
  }
}
