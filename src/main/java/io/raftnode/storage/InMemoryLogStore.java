package io.raftnode.storage;

import io.raftnode.model.Entry;
import io.raftnode.model.LogId;
import java.util.ArrayList;
import java.util.List;

/** A LogStore in memory, for tests and simulations: same contract and validation as the file store, no durability. */
public final class InMemoryLogStore implements LogStore {
  /** The kept entries; entries.get(i) has index purgedIndex + 1 + i. */
  private final ArrayList<Entry> entries = new ArrayList<>();
  private LogId purged;

  @Override
  public synchronized LogState loadFrom(long fromIndex) {
    int skip = (int) Math.min(entries.size(), Math.max(0, fromIndex - firstIndex()));
    return new LogState(purged, lastLogId(), entries.subList(skip, entries.size()));
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
