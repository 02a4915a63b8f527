package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.TestSerializers.ENTRIES;
import static io.raftnode.internal.storage.TestSerializers.entries;
import static io.raftnode.internal.storage.TestSerializers.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damages a segmented log byte by byte, the way a crash or a bad disk would, and checks what reopening does. */
class SegmentedLogRecoveryTest {
  private static final int SEGMENT_SIZE = 1024;
  private static final int N = 50;

  @TempDir Path root;
  private Path pristine;
  private Path dir;
  private List<Path> segments;
  private Path last;
  private List<Long> lastOffsets;
  private long lastSize;

  /** A log of N entries over several segments, kept as a pristine copy that each case damages afresh. */
  @BeforeEach
  void writeLog() throws IOException {
    pristine = root.resolve("pristine");
    try (SegmentedLogStore store = SegmentedLogStore.open(pristine, ENTRIES, SEGMENT_SIZE)) {
      for (int i = 1; i <= N; i += 5) store.append(0, entries(1, i, i + 4));
    }
    // The cases below damage a last segment that grew as it was written. One made from a spare is the same file
    // followed by unused zeros: the cases on zeros after the last record cover it.
    List<Path> written = SegmentedLogStoreTestFiles.segments(pristine);
    Path lastWritten = written.get(written.size() - 1);
    LogFiles.chop(lastWritten, LogFiles.dataEnd(lastWritten));
    dir = root.resolve("node");
    restore();
    segments = SegmentedLogStoreTestFiles.segments(dir);
    assertTrue(segments.size() >= 3, segments.toString());
    last = segments.get(segments.size() - 1);
    lastOffsets = LogFiles.recordOffsets(last);
    lastSize = Files.size(last);
    assertTrue(lastOffsets.size() >= 3, "the last segment holds a few entries");
  }

  private void restore() throws IOException {
    SegmentedLogStoreTestFiles.copyDir(pristine, dir);
  }

  private List<Entry> reopenAndLoad() throws IOException {
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, SEGMENT_SIZE)) {
      return store.loadFrom(1).entries();
    }
  }

  private CorruptDataException assertCorrupt(Path file, long offset) {
    CorruptDataException e = assertThrows(CorruptDataException.class, this::reopenAndLoad);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + offset + ":"), e.getMessage());
    assertTrue(e.getMessage().contains("backup"), e.getMessage());
    return e;
  }

  @Test
  void aTornLastRecordIsCutOffWithAWarningAtEveryCutPoint() throws IOException {
    long lastRecord = lastOffsets.get(lastOffsets.size() - 1);
    byte[] pristineBytes = Files.readAllBytes(last);
    try (LogCapture capture = new LogCapture()) {
      for (long cut = lastRecord + 1; cut < lastSize; cut++) {
        restore();
        LogFiles.chop(last, cut);
        capture.clear();
        assertEquals(entries(1, 1, N - 1), reopenAndLoad(), "cut at " + cut);
        List<LogRecord> warnings = capture.warnings();
        if (allZero(pristineBytes, lastRecord, cut)) {
          // Only the zero high bytes of the record's length were written: unused space, nothing to warn of.
          assertEquals(List.of(), warnings, "cut at " + cut);
        } else {
          assertEquals(lastRecord, Files.size(last), "the torn record is gone from the file, cut at " + cut);
          assertEquals(1, warnings.size(), "one warning for the first reopen only, cut at " + cut);
          assertTrue(warnings.get(0).getMessage().contains(last.toString()), warnings.get(0).getMessage());
          assertTrue(warnings.get(0).getMessage().contains("offset " + lastRecord), warnings.get(0).getMessage());
        }
        try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, SEGMENT_SIZE)) {
          store.append(0, List.of(entry(3, N)));
        }
        List<Entry> reloaded = reopenAndLoad();
        assertEquals(N, reloaded.size());
        assertEquals(entry(3, N), reloaded.get(N - 1));
      }
    }
  }

  @Test
  void aCutExactlyBetweenRecordsIsACleanShorterLog() throws IOException {
    try (LogCapture capture = new LogCapture()) {
      LogFiles.chop(last, lastOffsets.get(lastOffsets.size() - 1));
      assertEquals(entries(1, 1, N - 1), reopenAndLoad());
      assertEquals(List.of(), capture.warnings());
    }
  }

  @Test
  void aLastRecordThatFailsItsChecksumIsATornWriteWhateverByteIsWrong() throws IOException {
    try (LogCapture capture = new LogCapture()) {
      for (long offset = lastOffsets.get(lastOffsets.size() - 1); offset < lastSize; offset++) {
        restore();
        LogFiles.flip(last, offset);
        capture.clear();
        assertEquals(N - 1, reopenAndLoad().size(), "flipped byte " + offset);
        assertEquals(1, capture.warnings().size(), "flipped byte " + offset);
      }
    }
  }

  private static boolean allZero(byte[] bytes, long from, long to) {
    for (long i = from; i < to; i++) if (bytes[(int) i] != 0) return false;
    return true;
  }

  @Test
  void zerosAfterTheLastRecordAreUnusedSpaceThatTheNextAppendsFill() throws IOException {
    LogFiles.appendBytes(last, new byte[4096]);
    try (LogCapture capture = new LogCapture()) {
      assertEquals(N, reopenAndLoad().size());
      assertEquals(List.of(), capture.warnings(), "a segment made from a spare ends in zeros: not a torn write");
    }
    assertEquals(lastSize + 4096, Files.size(last), "the unused space is kept for the appends to come");
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, SEGMENT_SIZE)) {
      store.append(0, List.of(entry(1, N + 1)));
    }
    assertEquals(lastSize + 4096, Files.size(last), "the append went into the unused space");
    List<Entry> reloaded = reopenAndLoad();
    assertEquals(N + 1, reloaded.size());
    assertEquals(entry(1, N + 1), reloaded.get(N));
  }

  @Test
  void aTornRecordWrittenIntoUnusedSpaceIsATornWrite() throws IOException {
    byte[] lastRecordBytes = java.util.Arrays.copyOfRange(Files.readAllBytes(last),
        Math.toIntExact(lastOffsets.get(lastOffsets.size() - 1)), Math.toIntExact(lastSize));
    LogFiles.appendBytes(last, java.util.Arrays.copyOf(lastRecordBytes, lastRecordBytes.length - 2));
    LogFiles.appendBytes(last, new byte[4096]);
    try (LogCapture capture = new LogCapture()) {
      assertEquals(N, reopenAndLoad().size());
      assertEquals(1, capture.warnings().size(), "the half-written record is reported");
    }
    assertEquals(lastSize, Files.size(last), "and cut off");
  }

  @Test
  void damageBeforeUnusedSpaceIsCorruption() throws IOException {
    LogFiles.appendBytes(last, new byte[4096]);
    long earlier = lastOffsets.get(lastOffsets.size() - 2);
    LogFiles.flip(last, earlier + SegmentFormat.RECORD_HEADER_SIZE + 1);
    assertCorrupt(last, earlier);
    assertEquals(lastSize + 4096, Files.size(last), "corrupt data is never truncated away");
  }

  @Test
  void anyDamagedByteInAnEarlierRecordOfTheLastSegmentIsCorruption() throws IOException {
    for (int record = 0; record + 1 < lastOffsets.size(); record++) {
      long start = lastOffsets.get(record);
      for (long offset = start; offset < lastOffsets.get(record + 1); offset++) {
        restore();
        LogFiles.flip(last, offset);
        assertCorrupt(last, start);
        assertEquals(lastSize, Files.size(last), "corrupt data is never truncated away");
      }
    }
  }

  @Test
  void anyDamagedByteInAClosedSegmentIsCorruptionEvenInItsLastRecord() throws IOException {
    for (Path segment : segments.subList(0, segments.size() - 1)) {
      List<Long> offsets = LogFiles.recordOffsets(segment);
      long size = Files.size(segment);
      for (int record = 0; record < offsets.size(); record++) {
        long start = offsets.get(record);
        long end = record + 1 < offsets.size() ? offsets.get(record + 1) : size;
        for (long offset = start; offset < end; offset++) {
          restore();
          LogFiles.flip(dir.resolve(segment.getFileName()), offset);
          assertCorrupt(dir.resolve(segment.getFileName()), start);
          assertEquals(size, Files.size(dir.resolve(segment.getFileName())));
        }
      }
    }
  }

  @Test
  void aDamagedSegmentHeaderIsCorruption() throws IOException {
    for (Path segment : List.of(segments.get(0), last)) {
      for (long offset = 0; offset < SegmentFormat.HEADER_SIZE; offset++) {
        restore();
        LogFiles.flip(segment, offset);
        assertCorrupt(segment, offset == SegmentFormat.VERSION_OFFSET ? offset : 0);
      }
    }
  }

  @Test
  void aSegmentWithAnUnknownVersionIsRefusedNamingTheVersion() throws IOException {
    byte[] bytes = Files.readAllBytes(segments.get(1));
    bytes[SegmentFormat.VERSION_OFFSET] = 2;
    Files.write(segments.get(1), bytes);
    CorruptDataException e = assertCorrupt(segments.get(1), SegmentFormat.VERSION_OFFSET);
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
  }

  @Test
  void aMissingMiddleSegmentIsRefusedAtOpen() throws IOException {
    Files.delete(segments.get(1));
    Path before = segments.get(0);
    CorruptDataException e = assertCorrupt(before, Files.size(before) - SegmentFormat.SEAL_RECORD_SIZE);
    assertTrue(e.getMessage().contains("a segment is missing"), e.getMessage());
  }

  @Test
  void aMissingFirstSegmentIsRefusedAtOpen() throws IOException {
    Files.delete(segments.get(0));
    CorruptDataException e = assertCorrupt(segments.get(1), 0);
    assertTrue(e.getMessage().contains("the segment holding index 1 is missing"), e.getMessage());
  }

  @Test
  void aMissingLastSegmentIsRefusedAtOpen() throws IOException {
    Files.delete(last);
    Path before = segments.get(segments.size() - 2);
    CorruptDataException e = assertCorrupt(before, Files.size(before) - SegmentFormat.SEAL_RECORD_SIZE);
    assertTrue(e.getMessage().contains("is missing"), e.getMessage());
  }

  @Test
  void aClosedSegmentCutShortIsCorruption() throws IOException {
    Path segment = segments.get(1);
    LogFiles.chop(segment, Files.size(segment) - 1);
    assertCorrupt(segment, Files.size(segment) - SegmentFormat.SEAL_RECORD_SIZE);
  }

  @Test
  void aCrashWhileCreatingTheNextSegmentLeavesAPartialHeaderThatIsDropped() throws IOException {
    for (int length = 0; length < SegmentFormat.HEADER_SIZE; length++) {
      restore();
      Path next = dir.resolve(SegmentFormat.fileName(N + 1));
      Files.write(next, java.util.Arrays.copyOf(SegmentFormat.header(N + 1), length));
      try (LogCapture capture = new LogCapture()) {
        assertEquals(entries(1, 1, N), reopenAndLoad(), "header of " + length + " bytes");
        assertEquals(1, capture.warnings().size());
        assertTrue(capture.warnings().get(0).getMessage().contains(next.toString()));
      }
      assertTrue(Files.notExists(next), "the unsealed full segment stays the open one");
    }
  }

  @Test
  void aCrashBeforeTheFullSegmentIsSealedGoesOnAppendingToIt() throws IOException {
    Path next = dir.resolve(SegmentFormat.fileName(N + 1));
    Files.write(next, SegmentFormat.header(N + 1));
    assertEquals(entries(1, 1, N), reopenAndLoad());
    assertTrue(Files.notExists(next), "the empty new segment is dropped; the unsealed one stays open");
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, SEGMENT_SIZE)) {
      store.append(0, entries(2, N + 1, N + 30));
    }
    assertEquals(N + 30, reopenAndLoad().size());
  }

  @Test
  void aPartlyWrittenSealBeforeTheNextSegmentIsATornTail() throws IOException {
    Files.write(dir.resolve(SegmentFormat.fileName(N + 1)), SegmentFormat.header(N + 1));
    byte[] seal = SegmentFormat.sealRecord(entry(1, N).logId());
    LogFiles.appendBytes(last, java.util.Arrays.copyOf(seal, 10));
    try (LogCapture capture = new LogCapture()) {
      assertEquals(entries(1, 1, N), reopenAndLoad());
      assertEquals(1, capture.warnings().size());
    }
  }

  @Test
  void aTruncationCutShortByACrashIsFinishedAtOpen() throws IOException {
    long from = SegmentFormat.firstIndexOf(segments.get(1).getFileName().toString()) + 1;
    new LogMeta(null, from).write(dir);
    Files.delete(last);
    assertEquals(entries(1, 1, from - 1), reopenAndLoad());
    assertEquals(2, SegmentedLogStoreTestFiles.segments(dir).size());
    assertEquals(LogMeta.NONE, LogMeta.read(dir));
  }

  @Test
  void segmentsLeftBehindByAnInterruptedPurgeAreDeleted() throws IOException {
    long third = SegmentFormat.firstIndexOf(segments.get(2).getFileName().toString());
    new LogMeta(entry(1, third - 1).logId(), 0).write(dir);
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, SEGMENT_SIZE)) {
      assertEquals(entries(1, third, N), store.loadFrom(1).entries());
    }
    assertEquals(segments.size() - 2, SegmentedLogStoreTestFiles.segments(dir).size());
  }

  @Test
  void aPurgePastTheEndCutShortByACrashLeavesAnEmptyLogAfterThePurgePoint() throws IOException {
    new LogMeta(entry(2, N + 10).logId(), 0).write(dir);
    try (SegmentedLogStore store = SegmentedLogStore.open(dir, ENTRIES, SEGMENT_SIZE)) {
      assertEquals(new LogState(entry(2, N + 10).logId(), entry(2, N + 10).logId(), List.of()), store.loadFrom(1));
    }
    assertEquals(List.of(dir.resolve(SegmentFormat.fileName(N + 11))), SegmentedLogStoreTestFiles.segments(dir));
  }

  @Test
  void aDamagedMetaFileIsCorruption() throws IOException {
    new LogMeta(entry(1, 3).logId(), 0).write(dir);
    Path meta = dir.resolve(LogMeta.FILE_NAME);
    for (long offset = 0; offset < LogMeta.SIZE; offset++) {
      byte[] saved = Files.readAllBytes(meta);
      LogFiles.flip(meta, offset);
      CorruptDataException e = assertThrows(CorruptDataException.class, this::reopenAndLoad);
      assertTrue(e.getMessage().contains(meta.toString()), e.getMessage());
      Files.write(meta, saved);
    }
  }

  @Test
  void aChecksumValidRecordOfUnknownTypeIsCorruptionEvenAtTheTail() throws IOException {
    LogFiles.appendBytes(last, LogFiles.record(new byte[] {9, 0, 0}));
    CorruptDataException e = assertCorrupt(last, lastSize);
    assertTrue(e.getMessage().contains("unexpected record type 9"), e.getMessage());
  }

  @Test
  void aChecksumValidEntryThatDoesNotDecodeIsCorruption() throws IOException {
    LogFiles.appendBytes(last, LogFiles.record(new byte[] {1, 42}));
    assertCorrupt(last, lastSize);
  }

  @Test
  void nonContiguousEntriesAreCorruption() throws IOException {
    byte[] encoded = ENTRIES.encode(entry(2, N + 2));
    LogFiles.appendBytes(last, LogFiles.record(ByteBuffer.allocate(encoded.length + 1).put((byte) 1).put(encoded).array()));
    CorruptDataException e = assertCorrupt(last, lastSize);
    assertTrue(e.getMessage().contains("needs index " + (N + 1)), e.getMessage());
  }

  @Test
  void anImpossibleLengthInTheMiddleIsCorruption() throws IOException {
    byte[] bytes = Files.readAllBytes(last);
    ByteBuffer.wrap(bytes).putInt(lastOffsets.get(1).intValue(), SegmentFormat.MAX_BODY + 1);
    Files.write(last, bytes);
    assertCorrupt(last, lastOffsets.get(1));
  }
}
