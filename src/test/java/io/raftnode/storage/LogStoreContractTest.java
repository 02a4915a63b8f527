package io.raftnode.storage;

import static io.raftnode.storage.TestSerializers.entries;
import static io.raftnode.storage.TestSerializers.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftnode.model.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every LogStore must do, checked against the in-memory and the file store alike. */
class LogStoreContractTest {
  @TempDir Path dir;

  interface Call {
    void run() throws IOException;
  }

  static void assertRejected(Call call) {
    assertThrows(IllegalArgumentException.class, call::run);
  }

  private LogStore store(String kind) throws IOException {
    return kind.equals("memory") ? new InMemoryLogStore() : FileLogStore.open(dir, TestSerializers.ENTRIES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "file"})
  void appendsTruncatesAndLoads(String kind) throws IOException {
    try (LogStore store = store(kind)) {
      store.append(0, entries(1, 1, 4));
      store.append(2, entries(3, 2, 3));
      List<Entry> expected = new ArrayList<>(entries(1, 1, 1));
      expected.addAll(entries(3, 2, 3));
      assertEquals(expected, store.loadAll());
      store.append(4, entries(3, 4, 4));
      expected.add(entry(3, 4));
      assertEquals(expected, store.loadAll());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "file"})
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
      assertEquals(entries(1, 1, 3), store.loadAll(), "a rejected append changes nothing");
      store.append(0, List.of(entry(1, 4)));
      assertEquals(entries(1, 1, 4), store.loadAll());
    }
  }
}
