package io.raftnode.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftnode.model.Entry;
import io.raftnode.model.EntryPayload;
import io.raftnode.model.LogId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** purgeUpTo survives a reopen, and a purge past the end lets the log continue after the snapshot. */
class LogPurgeTest {
  @TempDir Path dir;

  private static List<Entry> entries(long from, long to) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) out.add(new Entry(LogId.of(1, 1, i), new EntryPayload.Normal(new byte[] {(byte) i})));
    return out;
  }

  @Test
  void purgedEntriesAreGoneAfterAReopen() throws Exception {
    try (FileLogStore log = FileLogStore.open(dir)) {
      log.append(0, entries(1, 10));
      log.purgeUpTo(LogId.of(1, 1, 6));
      log.append(0, entries(11, 12));
      assertThrows(IllegalArgumentException.class, () -> log.append(5, entries(5, 5)));
    }
    try (FileLogStore log = FileLogStore.open(dir)) {
      assertEquals(entries(7, 12), log.loadAll());
    }
  }

  @Test
  void aPurgePastTheEndEmptiesTheLogWhichThenContinuesAfterIt() throws Exception {
    try (FileLogStore log = FileLogStore.open(dir)) {
      log.append(0, entries(1, 3));
      log.purgeUpTo(LogId.of(2, 1, 100));
      log.append(0, entries(101, 102));
    }
    try (FileLogStore log = FileLogStore.open(dir)) {
      assertEquals(entries(101, 102), log.loadAll());
      log.append(0, entries(103, 103));
    }
    InMemoryLogStore mem = new InMemoryLogStore();
    mem.append(0, entries(1, 3));
    mem.purgeUpTo(LogId.of(2, 1, 100));
    mem.append(0, entries(101, 101));
    assertEquals(entries(101, 101), mem.loadAll());
  }
}
