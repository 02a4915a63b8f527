package io.raftnode.internal.storage;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.LogOutline;
import java.util.ArrayList;
import java.util.List;

/** A LogStore in memory, for tests and simulations: same contract and validation as the file store, no durability. */
public final class InMemoryLogStore implements LogStore {
  /** The kept entries; entries.get(i) has index purgedIndex + 1 + i. */
  private final ArrayList<Entry> entries = new ArrayList<>();
  private LogId purged;

  @Override
  public synchronized LogOutline outline(long fromIndex) {
    return LogOutline.of(entries.subList(skip(fromIndex), entries.size()));
  }

  @Override
  public synchronized List<Entry> read(long from, int maxEntries, long maxBytes) {
    if (maxEntries < 1 || maxBytes < 1) throw new IllegalArgumentException("a read must allow at least one entry");
    if (from < firstIndex()) return List.of();
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (int i = skip(from); i < entries.size() && out.size() < maxEntries; i++) {
      Entry e = entries.get(i);
      long size = e.payload() instanceof EntryPayload.Normal n ? n.data().length : 0;
      if (!out.isEmpty() && bytes + size > maxBytes) break;
      out.add(e);
      bytes += size;
    }
    return out;
  }

  private int skip(long fromIndex) {
    return (int) Math.min(entries.size(), Math.max(0, fromIndex - firstIndex()));
  }

  @Override
  public synchronized long firstIndex() {
    return LogId.indexOf(purged) + 1;
  }

  @Override
  public synchronized LogId purgedLogId() {
    return purged;
  }

  @Override
  public synchronized LogId lastLogId() {
    return entries.isEmpty() ? purged : entries.get(entries.size() - 1).logId();
  }

  @Override
  public synchronized void write(long truncateFrom, List<Entry> newEntries) {
    AppendValidation.check(LogId.indexOf(purged), LogId.indexOf(lastLogId()), truncateFrom, newEntries);
    if (truncateFrom > 0) entries.subList((int) (truncateFrom - firstIndex()), entries.size()).clear();
    entries.addAll(newEntries);
  }

  @Override
  public void sync() {}

  @Override
  public synchronized void purgeUpTo(LogId upTo) {
    if (upTo.index() <= LogId.indexOf(purged)) return;
    int drop = (int) Math.min(entries.size(), upTo.index() - LogId.indexOf(purged));
    entries.subList(0, drop).clear();
    purged = upTo;
  }

  @Override
  public void close() {}
}
