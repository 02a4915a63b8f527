package io.raftnode.storage;

import io.raftnode.model.Entry;
import io.raftnode.model.LogId;
import java.util.ArrayList;
import java.util.List;

/** A LogStore in memory, for tests and simulations: same contract and validation as FileLogStore, no durability. */
public final class InMemoryLogStore implements LogStore {
  private final ArrayList<Entry> entries = new ArrayList<>();
  private long base;

  @Override
  public synchronized List<Entry> loadAll() {
    return List.copyOf(entries);
  }

  @Override
  public synchronized void append(long truncateFrom, List<Entry> newEntries) {
    AppendValidation.check(base + entries.size(), truncateFrom, newEntries);
    if (truncateFrom > 0) {
      if (truncateFrom <= base) throw new IllegalArgumentException("truncateFrom " + truncateFrom + " is purged");
      entries.subList((int) (truncateFrom - 1 - base), entries.size()).clear();
    }
    entries.addAll(newEntries);
  }

  @Override
  public synchronized void purgeUpTo(LogId upTo) {
    if (upTo.index() <= base) return;
    entries.subList(0, (int) Math.min(entries.size(), upTo.index() - base)).clear();
    base = upTo.index();
  }

  @Override
  public void close() {}
}
