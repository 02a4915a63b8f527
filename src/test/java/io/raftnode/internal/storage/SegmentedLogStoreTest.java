package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.TestSerializers.ENTRIES;
import static io.raftnode.internal.storage.TestSerializers.entries;
import static io.raftnode.internal.storage.TestSerializers.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentedLogStoreTest {
  private static final int SEGMENT_SIZE = 1024;

  @TempDir Path dir;

  private SegmentedLogStore open() throws IOException {
    return SegmentedLogStore.open(dir, ENTRIES, SEGMENT_SIZE);
  }

  private List<Entry> reopenAndLoad() throws IOException {
    try (SegmentedLogStore store = open()) {
      return store.loadFrom(1).entries();
    }
  }

  private List<Path> segments() throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList();
    }
  }

  @Test
  void theNextSegmentIsMadeFromAZeroFilledSpareOnceOneIsReady() throws Exception {
    List<Entry> written = new ArrayList<>();
    try (SegmentedLogStore store = open()) {
      int index = 1;
      while (segments().size() < 2 && !store.spareReady()) {
        store.append(0, List.of(entry(1, index)));
        written.add(entry(1, index++));
        awaitSpareOrRoll(store);
      }
      assertEquals(1, segments().size(), "the spare was asked for once the first segment was half full");
      Path spare = dir.resolve(SpareSegment.FILE_NAME);
      assertEquals(SEGMENT_SIZE, Files.size(spare));
      for (byte b : Files.readAllBytes(spare)) assertEquals(0, b);
      while (segments().size() < 2) {
        store.append(0, List.of(entry(1, index)));
        written.add(entry(1, index++));
      }
      assertFalse(Files.exists(spare), "the spare became the new segment");
      Path first = segments().get(0);
      Path second = segments().get(1);
      assertEquals(SEGMENT_SIZE, Files.size(second), "the new segment keeps the spare's blocks");
      assertEquals(LogFiles.dataEnd(first), Files.size(first), "a sealed segment ends with its seal, no zeros");
      store.append(0, List.of(entry(1, index)));
      written.add(entry(1, index));
      store.sync();
    }
    assertEquals(written, reopenAndLoad());
    assertEquals(written, reopenAndLoad(), "a second open finds the same log, the unused space untouched");
  }

  @Test
  void largeSyncsGoWithoutSpares() throws Exception {
    int segmentSize = 256 * 1024;
    List<Entry> written = new ArrayList<>();
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, segmentSize)) {
      for (int index = 1; index <= 40; index++) {
        Entry large = new Entry(LogId.of(1, 1, index), new EntryPayload.Normal(new byte[20 * 1024]));
        store.append(0, List.of(large)); // one sync each, more bytes than a spare saves time on
        written.add(large);
        assertFalse(store.sparePending() || store.spareReady(), "no spare asked for at entry " + index);
      }
      assertTrue(segments().size() >= 3, segments().toString());
      assertFalse(Files.exists(dir.resolve(SpareSegment.FILE_NAME)));
    }
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, segmentSize)) {
      assertEquals(written, store.loadFrom(1).entries());
    }
  }

  /** Waits (bounded) for a spare asked for to be filled, so the next roll is sure to use it. */
  private void awaitSpareOrRoll(SegmentedLogStore store) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (store.sparePending() && System.nanoTime() < deadline) Thread.sleep(5);
  }

  @Test
  void aNewLogIsOneSegmentHoldingOnlyItsHeader() throws IOException {
    assertEquals(List.of(), reopenAndLoad());
    assertEquals(List.of(dir.resolve("segment-00000000000000000001.seg")), segments());
    byte[] bytes = Files.readAllBytes(segments().get(0));
    assertEquals(SegmentFormat.HEADER_SIZE, bytes.length);
    assertEquals("RAFTSEG", new String(bytes, 0, 7, StandardCharsets.US_ASCII));
    assertEquals(1, bytes[7]);
    assertEquals(1, ByteBuffer.wrap(bytes).getLong(8));
    assertFalse(Files.exists(dir.resolve("meta")), "no meta file until something is purged");
  }

  @Test
  void appendedEntriesSurviveAReopen() throws IOException {
    try (SegmentedLogStore store = open()) {
      store.append(0, entries(1, 1, 3));
      store.write(0, List.of(entry(1, 4)));
      store.sync();
      assertEquals(entries(1, 1, 4), store.loadFrom(1).entries());
    }
    assertEquals(entries(1, 1, 4), reopenAndLoad());
    try (SegmentedLogStore store = open()) {
      assertEquals(entry(1, 4).logId(), store.lastLogId());
    }
  }

  @Test
  void everyPayloadKindSurvivesAReopen() throws IOException {
    Membership membership = Membership.ofVoters(Map.of(1L, new Node("a:1", "a:2"), 2L, new Node("b:1", "")));
    List<Entry> log = List.of(
        new Entry(LogId.of(1, 1, 1), EntryPayload.Blank.INSTANCE),
        new Entry(LogId.of(1, 1, 2), new EntryPayload.MembershipChange(membership)),
        new Entry(LogId.of(2, 3, 3), new EntryPayload.Normal(new byte[0])));
    try (SegmentedLogStore store = open()) {
      store.append(0, log);
    }
    assertEquals(log, reopenAndLoad());
  }

  @Test
  void fullSegmentsAreSealedAndTheLogRollsOn() throws IOException {
    try (SegmentedLogStore store = open()) {
      for (int i = 1; i <= 100; i += 10) store.append(0, entries(1, i, i + 9));
      assertEquals(segments(), store.segmentFiles());
    }
    List<Path> segments = segments();
    assertTrue(segments.size() >= 5, segments.toString());
    long expectedFirst = 1;
    for (int i = 0; i < segments.size(); i++) {
      Path segment = segments.get(i);
      assertTrue(Files.size(segment) <= SEGMENT_SIZE, segment + " has " + Files.size(segment) + " bytes");
      assertEquals(SegmentFormat.fileName(expectedFirst), segment.getFileName().toString());
      List<Long> offsets = LogFiles.recordOffsets(segment);
      byte[] bytes = Files.readAllBytes(segment);
      boolean sealed = bytes[(int) (offsets.get(offsets.size() - 1) + 8)] == SegmentFormat.TYPE_SEAL;
      assertEquals(i < segments.size() - 1, sealed, segment + " is sealed unless it is the last");
      expectedFirst += sealed ? offsets.size() - 1 : offsets.size();
    }
    assertEquals(101, expectedFirst);
    assertEquals(entries(1, 1, 100), reopenAndLoad());
  }

  @Test
  void anEntryLargerThanASegmentGetsASegmentOfItsOwn() throws IOException {
    Entry big = new Entry(LogId.of(1, 1, 3), new EntryPayload.Normal(new byte[3 * SEGMENT_SIZE]));
    List<Entry> log = new ArrayList<>(entries(1, 1, 2));
    log.add(big);
    log.add(entry(1, 4));
    try (SegmentedLogStore store = open()) {
      store.append(0, log);
    }
    assertEquals(3, segments().size());
    assertEquals(log, reopenAndLoad());
  }

  @Test
  void truncationInsideTheLastSegmentCutsTheFile() throws IOException {
    List<Entry> expected = new ArrayList<>(entries(1, 1, 2));
    expected.addAll(entries(2, 3, 4));
    try (SegmentedLogStore store = open()) {
      store.append(0, entries(1, 1, 5));
      long sizeAtThree = LogFiles.recordOffsets(segments().get(0)).get(2);
      store.write(3, List.of());
      store.sync();
      assertEquals(sizeAtThree, Files.size(segments().get(0)));
      store.append(3, entries(2, 3, 4));
      assertEquals(expected, store.loadFrom(1).entries());
    }
    assertEquals(expected, reopenAndLoad());
  }

  @Test
  void truncationIntoAnEarlierSegmentDeletesTheLaterOnes() throws IOException {
    try (SegmentedLogStore store = open()) {
      store.append(0, entries(1, 1, 100));
      int before = segments().size();
      store.append(20, entries(2, 20, 21));
      assertTrue(segments().size() < before);
      List<Entry> expected = new ArrayList<>(entries(1, 1, 19));
      expected.addAll(entries(2, 20, 21));
      assertEquals(expected, store.loadFrom(1).entries());
      assertEquals(entry(2, 21).logId(), store.lastLogId());
      store.append(0, entries(2, 22, 80));
      expected.addAll(entries(2, 22, 80));
      assertEquals(expected, store.loadFrom(1).entries());
    }
    List<Entry> reloaded = reopenAndLoad();
    assertEquals(80, reloaded.size());
    assertEquals(entry(2, 20), reloaded.get(19));
  }

  @Test
  void truncatingAtASegmentsFirstIndexLeavesItEmptyAndTheLogEndsInThePreviousOne() throws IOException {
    try (SegmentedLogStore store = open()) {
      store.append(0, entries(1, 1, 100));
      long second = SegmentFormat.firstIndexOf(segments().get(1).getFileName().toString());
      store.append(second, List.of());
      assertEquals(entry(1, second - 1).logId(), store.lastLogId());
      assertEquals(2, segments().size());
    }
    try (SegmentedLogStore store = open()) {
      long second = SegmentFormat.firstIndexOf(segments().get(1).getFileName().toString());
      assertEquals(entry(1, second - 1).logId(), store.lastLogId());
      assertEquals(entries(1, 1, second - 1), store.loadFrom(1).entries());
    }
  }

  @Test
  void truncatingEverythingLeavesAnEmptyLogThatStartsAgainAtOne() throws IOException {
    try (SegmentedLogStore store = open()) {
      store.append(0, entries(1, 1, 50));
      store.append(1, List.of());
      assertEquals(List.of(), store.loadFrom(1).entries());
      assertEquals(null, store.lastLogId());
      store.append(0, entries(2, 1, 2));
    }
    assertEquals(entries(2, 1, 2), reopenAndLoad());
  }

  @Test
  void anAppendThatChangesNothingWritesNothing() throws IOException {
    try (SegmentedLogStore store = open()) {
      store.append(0, entries(1, 1, 2));
      long size = Files.size(segments().get(0));
      store.append(0, List.of());
      store.append(3, List.of());
      assertEquals(size, Files.size(segments().get(0)));
    }
  }

  @Test
  void anAppendAfterReopenMustContinueTheLog() throws IOException {
    try (SegmentedLogStore store = open()) {
      store.append(0, entries(1, 1, 30));
    }
    try (SegmentedLogStore store = open()) {
      LogStoreContractTest.assertRejected(() -> store.append(0, List.of(entry(1, 30))));
      store.append(0, List.of(entry(1, 31)));
    }
    assertEquals(entries(1, 1, 31), reopenAndLoad());
  }

  @Test
  void openingReadsOnlyTheLastSegmentAndLoadingChecksTheOthers() throws IOException {
    try (SegmentedLogStore store = open()) {
      store.append(0, entries(1, 1, 100));
    }
    Path first = segments().get(0);
    Path last = segments().get(segments().size() - 1);
    long lastFirst = SegmentFormat.firstIndexOf(last.getFileName().toString());
    LogFiles.flip(first, LogFiles.recordOffsets(first).get(2) + 12);
    try (SegmentedLogStore store = open()) {
      assertEquals(entry(1, 100).logId(), store.lastLogId());
      assertEquals(entries(1, lastFirst, 100), store.loadFrom(lastFirst).entries());
      CorruptDataException e = assertThrows(CorruptDataException.class, () -> store.loadFrom(1));
      assertTrue(e.getMessage().contains(first.toString()), e.getMessage());
    }
  }

  @Test
  void purgeDeletesWholeSegmentsAndSurvivesAReopen() throws IOException {
    try (SegmentedLogStore store = open()) {
      store.append(0, entries(1, 1, 100));
      int before = segments().size();
      long second = SegmentFormat.firstIndexOf(segments().get(1).getFileName().toString());
      store.purgeUpTo(entry(1, second).logId());
      assertEquals(before - 1, segments().size(), "only segments wholly at or before the purge point go");
      assertTrue(Files.exists(dir.resolve("meta")));
    }
    try (SegmentedLogStore store = open()) {
      long second = SegmentFormat.firstIndexOf(segments().get(0).getFileName().toString());
      assertEquals(second + 1, store.firstIndex());
      assertEquals(entry(1, second).logId(), store.purgedLogId());
      assertEquals(entries(1, second + 1, 100), store.loadFrom(1).entries());
    }
  }

  @Test
  void aPurgePastTheEndLeavesOneEmptySegmentAfterThePurgePoint() throws IOException {
    try (SegmentedLogStore store = open()) {
      store.append(0, entries(1, 1, 100));
      store.purgeUpTo(LogId.of(5, 2, 500));
      assertEquals(List.of(dir.resolve(SegmentFormat.fileName(501))), segments());
    }
    try (SegmentedLogStore store = open()) {
      assertEquals(new LogState(LogId.of(5, 2, 500), LogId.of(5, 2, 500), List.of()), store.loadFrom(1));
      store.append(0, entries(6, 501, 502));
    }
    assertEquals(entries(6, 501, 502), reopenAndLoad());
  }
}
