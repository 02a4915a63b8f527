package io.raftnode.storage;

import static io.raftnode.storage.TestSerializers.ENTRIES;
import static io.raftnode.storage.TestSerializers.entries;
import static io.raftnode.storage.TestSerializers.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.model.Entry;
import io.raftnode.model.EntryPayload;
import io.raftnode.model.LogId;
import io.raftnode.model.Membership;
import io.raftnode.model.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogStoreTest {
  @TempDir Path dir;

  private FileLogStore open() throws IOException {
    return FileLogStore.open(dir, ENTRIES);
  }

  private List<Entry> reopenAndLoad() throws IOException {
    try (FileLogStore store = open()) {
      return store.loadAll();
    }
  }

  @Test
  void aNewLogIsEmptyAndHasOnlyTheHeader() throws IOException {
    assertEquals(List.of(), reopenAndLoad());
    byte[] bytes = Files.readAllBytes(dir.resolve("log.dat"));
    assertEquals("RAFTLOG", new String(bytes, 0, 7, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(8, bytes.length);
    assertEquals(1, bytes[7]);
  }

  @Test
  void appendedEntriesSurviveAReopen() throws IOException {
    try (FileLogStore store = open()) {
      store.append(0, entries(1, 1, 3));
      store.append(0, List.of(entry(1, 4)));
      assertEquals(entries(1, 1, 4), store.loadAll());
    }
    assertEquals(entries(1, 1, 4), reopenAndLoad());
  }

  @Test
  void everyPayloadKindSurvivesAReopen() throws IOException {
    Membership membership = Membership.ofVoters(Map.of(1L, new Node("a:1", "a:2"), 2L, new Node("b:1", "")));
    List<Entry> log =
        List.of(
            new Entry(LogId.of(1, 1, 1), EntryPayload.Blank.INSTANCE),
            new Entry(LogId.of(1, 1, 2), new EntryPayload.MembershipChange(membership)),
            new Entry(LogId.of(2, 3, 3), new EntryPayload.Normal(new byte[0])));
    try (FileLogStore store = open()) {
      store.append(0, log);
    }
    assertEquals(log, reopenAndLoad());
  }

  @Test
  void truncateAndAppendReplaceTheSuffix() throws IOException {
    List<Entry> expected = new ArrayList<>(entries(1, 1, 2));
    expected.addAll(entries(2, 3, 4));
    try (FileLogStore store = open()) {
      store.append(0, entries(1, 1, 5));
      store.append(3, entries(2, 3, 4));
      assertEquals(expected, store.loadAll());
    }
    assertEquals(expected, reopenAndLoad());
    try (FileLogStore store = open()) {
      store.append(0, List.of(entry(2, 5)));
      store.append(2, List.of());
    }
    assertEquals(entries(1, 1, 1), reopenAndLoad());
  }

  @Test
  void truncatingEverythingLeavesAnEmptyLogThatStartsAgainAtOne() throws IOException {
    try (FileLogStore store = open()) {
      store.append(0, entries(1, 1, 3));
      store.append(1, List.of());
      assertEquals(List.of(), store.loadAll());
      store.append(0, entries(2, 1, 2));
    }
    assertEquals(entries(2, 1, 2), reopenAndLoad());
  }

  @Test
  void anAppendThatChangesNothingWritesNothing() throws IOException {
    try (FileLogStore store = open()) {
      store.append(0, entries(1, 1, 2));
      long size = Files.size(store.file());
      store.append(0, List.of());
      store.append(3, List.of());
      assertEquals(size, Files.size(store.file()));
    }
  }

  @Test
  void anAppendWritesOneTruncateRecordAndOneRecordPerEntry() throws IOException {
    try (FileLogStore store = open()) {
      store.append(0, entries(1, 1, 3));
      store.append(2, entries(2, 2, 3));
      List<Long> offsets = LogFiles.recordOffsets(store.file());
      assertEquals(6, offsets.size());
      byte[] bytes = Files.readAllBytes(store.file());
      assertEquals(LogFormat.TYPE_TRUNCATE, bytes[(int) (offsets.get(3) + 8)]);
      assertEquals(9, java.nio.ByteBuffer.wrap(bytes, offsets.get(3).intValue(), 4).getInt());
    }
  }

  @Test
  void loadAllCanBeCalledAgainAndSeesLaterAppends() throws IOException {
    try (FileLogStore store = open()) {
      store.append(0, entries(1, 1, 2));
    }
    try (FileLogStore store = open()) {
      assertEquals(entries(1, 1, 2), store.loadAll());
      assertEquals(entries(1, 1, 2), store.loadAll());
      store.append(0, List.of(entry(1, 3)));
      assertEquals(entries(1, 1, 3), store.loadAll());
    }
  }

  @Test
  void anAppendAfterReopenMustContinueTheReplayedLog() throws IOException {
    try (FileLogStore store = open()) {
      store.append(0, entries(1, 1, 3));
    }
    try (FileLogStore store = open()) {
      LogStoreContractTest.assertRejected(() -> store.append(0, List.of(entry(1, 3))));
      store.append(0, List.of(entry(1, 4)));
    }
    assertEquals(entries(1, 1, 4), reopenAndLoad());
  }
}
