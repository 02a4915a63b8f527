package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.TestSerializers.entries;
import static io.raftnode.internal.storage.TestSerializers.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftnode.internal.model.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every LogStore must do, checked against the in-memory and the segmented store alike. */
class LogStoreContractTest {
  @TempDir Path dir;

  interface Call {
    void run() throws IOException;
  }

  static void assertRejected(Call call) {
    assertThrows(IllegalArgumentException.class, call::run);
  }

  private LogStore store(String kind) throws IOException {
    return kind.equals("memory") ? new InMemoryLogStore() : SegmentedLogStore.open(dir, TestSerializers.ENTRIES, 1024);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "segmented"})
  void appendsTruncatesAndLoads(String kind) throws IOException {
    try (LogStore store = store(kind)) {
      store.append(0, entries(1, 1, 4));
      store.append(2, entries(3, 2, 3));
      List<Entry> expected = new ArrayList<>(entries(1, 1, 1));
      expected.addAll(entries(3, 2, 3));
      assertEquals(expected, store.loadFrom(1).entries());
      store.append(4, entries(3, 4, 4));
      expected.add(entry(3, 4));
      assertEquals(expected, store.loadFrom(1).entries());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "segmented"})
  void rejectsAppendsThatWouldBreakTheLog(String kind) throws IOException {
    try (LogStore store = store(kind)) {
      assertRejected(() -> store.append(0, List.of(entry(1, 2))));
      store.append(0, entries(1, 1, 3));
      assertRejected(() -> store.append(0, List.of(entry(1, 5))));
      assertRejected(() -> store.append(0, List.of(entry(1, 4), entry(1, 6))));
      assertRejected(() -> store.append(0, List.of(entry(1, 3))));
      assertRejected(() -> store.append(2, List.of(entry(1, 3))));
      assertRejected(() -> store.append(5, List.of()));
      assertRejected(() -> store.append(-1, List.of()));
      assertRejected(() -> store.append(0, null));
      assertEquals(entries(1, 1, 3), store.loadFrom(1).entries(), "a rejected append changes nothing");
      store.append(0, List.of(entry(1, 4)));
      assertEquals(entries(1, 1, 4), store.loadFrom(1).entries());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "segmented"})
  void loadFromReturnsTheSuffixAndTheLogsBounds(String kind) throws IOException {
    try (LogStore store = store(kind)) {
      assertEquals(new LogState(null, null, List.of()), store.loadFrom(1));
      assertEquals(1, store.firstIndex());
      store.write(0, entries(1, 1, 60));
      store.sync();
      assertEquals(entries(1, 41, 60), store.loadFrom(41).entries());
      assertEquals(entries(1, 1, 60), store.loadFrom(0).entries());
      assertEquals(List.of(), store.loadFrom(61).entries());
      assertEquals(entry(1, 60).logId(), store.lastLogId());
      assertEquals(entry(1, 60).logId(), store.loadFrom(70).lastLogId());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "segmented"})
  void purgeDropsThePrefixAndTheLogGoesOnAfterIt(String kind) throws IOException {
    try (LogStore store = store(kind)) {
      store.append(0, entries(1, 1, 60));
      store.purgeUpTo(entry(1, 30).logId());
      assertEquals(31, store.firstIndex());
      assertEquals(entry(1, 30).logId(), store.purgedLogId());
      assertEquals(new LogState(entry(1, 30).logId(), entry(1, 60).logId(), entries(1, 31, 60)), store.loadFrom(1));
      store.purgeUpTo(entry(1, 20).logId());
      assertEquals(31, store.firstIndex(), "a purge below the purge point changes nothing");
      assertRejected(() -> store.append(30, entries(2, 30, 30)));
      store.append(45, entries(2, 45, 46));
      List<Entry> expected = new ArrayList<>(entries(1, 31, 44));
      expected.addAll(entries(2, 45, 46));
      assertEquals(expected, store.loadFrom(0).entries());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "segmented"})
  void aPurgePastTheEndEmptiesTheLogWhichThenStartsAfterIt(String kind) throws IOException {
    try (LogStore store = store(kind)) {
      store.append(0, entries(1, 1, 10));
      store.purgeUpTo(entry(3, 100).logId());
      assertEquals(new LogState(entry(3, 100).logId(), entry(3, 100).logId(), List.of()), store.loadFrom(1));
      assertEquals(101, store.firstIndex());
      assertRejected(() -> store.append(0, entries(3, 11, 11)));
      store.append(0, entries(4, 101, 102));
      assertEquals(entries(4, 101, 102), store.loadFrom(1).entries());
      assertEquals(entry(4, 102).logId(), store.lastLogId());
    }
  }
}
