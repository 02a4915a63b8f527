package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.TestSerializers.ENTRIES;
import static io.raftnode.internal.storage.TestSerializers.entries;
import static io.raftnode.internal.storage.TestSerializers.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.LogOutline;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LogStore.read and LogStore.outline: bounded reads from any index, and a log's ids without its payloads. */
class LogReadTest {
  @TempDir Path dir;

  private LogStore store(String kind) throws IOException {
    return kind.equals("memory") ? new InMemoryLogStore() : SegmentedLogStore.open(dir, ENTRIES, 1024);
  }

  private static Entry sized(long term, long index, int bytes) {
    byte[] data = new byte[bytes];
    Arrays.fill(data, (byte) index);
    return new Entry(LogId.of(term, 1, index), new EntryPayload.Normal(data));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "segmented"})
  void readsAreBoundedByCountAndBytesButAlwaysMakeProgress(String kind) throws IOException {
    try (LogStore store = store(kind)) {
      List<Entry> written = new ArrayList<>();
      for (long i = 1; i <= 40; i++) written.add(sized(1, i, 100));
      store.append(0, written);
      assertEquals(written.subList(4, 14), store.read(5, 10, 1 << 20), "ten entries from index 5, across segments");
      List<Entry> byBytes = store.read(1, 100, 350);
      assertTrue(byBytes.size() >= 2 && byBytes.size() <= 3, "about 350 bytes of 100-byte entries: " + byBytes.size());
      assertEquals(written.subList(0, byBytes.size()), byBytes);
      assertEquals(List.of(written.get(6)), store.read(7, 10, 1), "a limit below one entry still yields one");
      assertEquals(written.subList(35, 40), store.read(36, 100, 1 << 20), "a read stops at the end of the log");
      assertEquals(List.of(), store.read(41, 10, 1 << 20));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "segmented"})
  void readsSeeTruncationsAndNothingOfThePurgedPrefix(String kind) throws IOException {
    try (LogStore store = store(kind)) {
      store.append(0, entries(1, 1, 30));
      store.append(20, entries(2, 20, 25));
      assertEquals(entries(2, 20, 25), store.read(20, 100, 1 << 20));
      store.purgeUpTo(entry(1, 10).logId());
      assertEquals(List.of(), store.read(10, 100, 1 << 20), "purged");
      assertEquals(entries(1, 11, 12), store.read(11, 2, 1 << 20));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "segmented"})
  void anOutlineHasTheRunsOfEachLeaderAndTheMembershipEntriesOnly(String kind) throws IOException {
    Entry members = new Entry(LogId.of(2, 3, 6),
        new EntryPayload.MembershipChange(Membership.ofVoters(Map.of(1L, new Node("a:1", "")))));
    try (LogStore store = store(kind)) {
      store.append(0, entries(1, 1, 5));
      store.append(0, List.of(members));
      List<Entry> byNode3 = new ArrayList<>();
      for (long i = 7; i <= 30; i++) byNode3.add(new Entry(LogId.of(2, 3, i), EntryPayload.Blank.INSTANCE));
      store.append(0, byNode3);
      store.append(0, entries(4, 31, 50));
      LogOutline outline = store.outline(1);
      assertEquals(List.of(LogId.of(1, 1, 1), LogId.of(2, 3, 6), LogId.of(4, 1, 31)), outline.runStarts());
      assertEquals(LogId.of(4, 1, 50), outline.lastLogId());
      assertEquals(List.of(members), outline.membershipEntries());
      LogOutline tail = store.outline(40);
      assertEquals(List.of(LogId.of(4, 1, 40)), tail.runStarts());
      assertEquals(List.of(), tail.membershipEntries());
    }
  }

  @Test
  void anOutlineOfAReopenedLogIndexesItsSealedSegmentsForReads() throws IOException {
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, 1024)) {
      store.append(0, entries(1, 1, 200));
    }
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, 1024)) {
      assertEquals(LogId.of(1, 1, 200), store.outline(1).lastLogId());
      assertEquals(entries(1, 3, 4), store.read(3, 2, 1 << 20));
      assertEquals(entries(1, 150, 151), store.read(150, 2, 1 << 20));
    }
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, 1024)) {
      assertEquals(entries(1, 3, 4), store.read(3, 2, 1 << 20), "a sealed segment never scanned is indexed on read");
    }
  }

  @Test
  void entriesLargerThanAReadBlockAndRecordsAcrossBlocksReadBackWhole() throws IOException {
    List<Entry> written = new ArrayList<>();
    for (long i = 1; i <= 12; i++) written.add(sized(1, i, i == 5 ? 3 * FileWindow.BLOCK_BYTES : 300_001));
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, 16L << 20)) {
      store.append(0, written);
    }
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, 16L << 20)) {
      assertEquals(LogId.of(1, 1, 12), store.outline(1).lastLogId());
      for (long i = 1; i <= 12; i++) assertEquals(written.get((int) i - 1), store.read(i, 1, 1).get(0), "entry " + i);
      assertEquals(written, store.loadFrom(1).entries());
    }
  }

  @Test
  void aDamagedRecordIsReportedAsCorruptionWhenNothingRaced() throws IOException {
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, 1 << 20)) {
      store.append(0, entries(1, 1, 20));
      Path segment = store.segmentFiles().get(0);
      try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(new byte[] {0x55}), Files.size(segment) - 3);
      }
      assertEquals(entries(1, 1, 5), store.read(1, 5, 1 << 20), "the records before the damage read fine");
      CorruptDataException e = assertThrows(CorruptDataException.class, () -> store.read(18, 5, 1 << 20));
      assertTrue(e.getMessage().contains("CRC32C mismatch"), e.getMessage());
    }
  }
}
