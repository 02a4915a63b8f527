package io.raftnode.storage;

import io.raftnode.model.Entry;
import java.util.ArrayList;
import java.util.List;

/** A LogStore in memory, for tests and simulations: same contract and validation as FileLogStore, no durability. */
public final class InMemoryLogStore implements LogStore {
  private final ArrayList<Entry> entries = new ArrayList<>();

  @Override
  public synchronized List<Entry> loadAll() {
    return List.copyOf(entries);
  }

  @Override
  public synchronized void append(long truncateFrom, List<Entry> newEntries) {
    AppendValidation.check(entries.size(), truncateFrom, newEntries);
    if (truncateFrom > 0) entries.subList((int) (truncateFrom - 1), entries.size()).clear();
    entries.addAll(newEntries);
  }

  @Override
  public void close() {}
}
