package io.raftnode.storage;

import static io.raftnode.storage.TestSerializers.ENTRIES;
import static io.raftnode.storage.TestSerializers.entries;
import static io.raftnode.storage.TestSerializers.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.model.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogStoreRecoveryTest {
  private static final int N = 5;

  @TempDir Path dir;
  private Path pristine;
  private Path log;
  private List<Long> offsets;
  private long fileSize;

  /** A log with N entries, kept as a pristine copy that each case damages afresh. */
  @BeforeEach
  void writeLog() throws IOException {
    Path source = dir.resolve("source");
    try (FileLogStore store = FileLogStore.open(source, ENTRIES)) {
      store.append(0, entries(1, 1, 3));
      store.append(0, entries(2, 4, N));
    }
    pristine = source.resolve("log.dat");
    log = dir.resolve("node").resolve("log.dat");
    Files.createDirectories(log.getParent());
    offsets = LogFiles.recordOffsets(pristine);
    fileSize = Files.size(pristine);
    assertEquals(N, offsets.size());
  }

  private void restore() throws IOException {
    Files.copy(pristine, log, StandardCopyOption.REPLACE_EXISTING);
  }

  private List<Entry> reopenAndLoad() throws IOException {
    try (FileLogStore store = FileLogStore.open(log.getParent(), ENTRIES)) {
      return store.loadAll();
    }
  }

  private CorruptDataException assertCorrupt(long offset) {
    CorruptDataException e = assertThrows(CorruptDataException.class, this::reopenAndLoad);
    assertTrue(e.getMessage().contains(log.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + offset + ":"), e.getMessage());
    assertTrue(e.getMessage().contains("backup"), e.getMessage());
    return e;
  }

  @Test
  void aTornLastRecordIsCutOffWithAWarningAtEveryCutPoint() throws IOException {
    long lastRecord = offsets.get(N - 1);
    try (LogCapture capture = new LogCapture()) {
      for (long cut = lastRecord + 1; cut < fileSize; cut++) {
        restore();
        LogFiles.chop(log, cut);
        capture.clear();
        assertEquals(N - 1, reopenAndLoad().size(), "cut at " + cut);
        assertEquals(entries(1, 1, 3), reopenAndLoad().subList(0, 3));
        assertEquals(lastRecord, Files.size(log), "the torn record is gone from the file, cut at " + cut);
        List<LogRecord> warnings = capture.warnings();
        assertEquals(1, warnings.size(), "one warning for the first reopen only, cut at " + cut);
        assertTrue(warnings.get(0).getMessage().contains(log.toString()), warnings.get(0).getMessage());
        assertTrue(warnings.get(0).getMessage().contains("offset " + lastRecord), warnings.get(0).getMessage());

        try (FileLogStore store = FileLogStore.open(log.getParent(), ENTRIES)) {
          assertEquals(entries(2, 4, N - 1), store.loadAll().subList(3, N - 1));
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
      restore();
      LogFiles.chop(log, offsets.get(N - 1));
      assertEquals(N - 1, reopenAndLoad().size());
      assertEquals(List.of(), capture.warnings());
    }
  }

  @Test
  void aLastRecordThatFailsItsChecksumIsATornWriteWhateverByteIsWrong() throws IOException {
    try (LogCapture capture = new LogCapture()) {
      for (long offset = offsets.get(N - 1); offset < fileSize; offset++) {
        restore();
        LogFiles.flip(log, offset);
        capture.clear();
        assertEquals(N - 1, reopenAndLoad().size(), "flipped byte " + offset);
        assertEquals(1, capture.warnings().size(), "flipped byte " + offset);
      }
    }
  }

  @Test
  void zerosAfterTheLastRecordAreATornWrite() throws IOException {
    restore();
    LogFiles.appendBytes(log, new byte[4096]);
    try (LogCapture capture = new LogCapture()) {
      assertEquals(N, reopenAndLoad().size());
      assertEquals(1, capture.warnings().size());
    }
    assertEquals(fileSize, Files.size(log));
  }

  @Test
  void anyDamagedByteInARecordThatIsNotTheLastIsCorruption() throws IOException {
    for (int record = 0; record < N - 1; record++) {
      long start = offsets.get(record);
      for (long offset = start; offset < offsets.get(record + 1); offset++) {
        restore();
        LogFiles.flip(log, offset);
        assertCorrupt(start);
        assertEquals(fileSize, Files.size(log), "corrupt data is never truncated away");
      }
    }
  }

  @Test
  void aDamagedFileHeaderIsCorruption() throws IOException {
    for (long offset = 0; offset < 8; offset++) {
      restore();
      LogFiles.flip(log, offset);
      CorruptDataException e = assertThrows(CorruptDataException.class, this::reopenAndLoad);
      assertTrue(e.getMessage().contains(log.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("offset " + (offset == 7 ? 7 : 0) + ":"), e.getMessage());
    }
  }

  @Test
  void aFileHeaderCutShortByACrashIsRewritten() throws IOException {
    Files.write(log, new byte[] {'R', 'A', 'F'});
    try (LogCapture capture = new LogCapture()) {
      assertEquals(List.of(), reopenAndLoad());
      assertEquals(1, capture.warnings().size());
    }
    assertEquals(8, Files.size(log));
  }

  @Test
  void aShortFileThatIsNotOursIsCorruption() throws IOException {
    Files.write(log, new byte[] {'X', 'Y'});
    assertCorrupt(0);
  }

  @Test
  void aChecksumValidRecordOfUnknownTypeIsCorruptionEvenAtTheTail() throws IOException {
    restore();
    LogFiles.appendBytes(log, LogFiles.record(new byte[] {9, 0, 0}));
    CorruptDataException e = assertCorrupt(fileSize);
    assertTrue(e.getMessage().contains("unknown record type 9"), e.getMessage());
  }

  @Test
  void aChecksumValidEntryThatDoesNotDecodeIsCorruption() throws IOException {
    restore();
    LogFiles.appendBytes(log, LogFiles.record(new byte[] {1, 42}));
    assertCorrupt(fileSize);
  }

  @Test
  void nonContiguousEntriesAreCorruption() throws IOException {
    restore();
    LogFiles.appendBytes(log, entryRecord(entry(2, N + 2)));
    CorruptDataException e = assertCorrupt(fileSize);
    assertTrue(e.getMessage().contains("needs index " + (N + 1)), e.getMessage());
  }

  @Test
  void aLogThatDoesNotStartAtIndexOneIsCorruption() throws IOException {
    Files.write(log, LogFormat.fileHeader());
    LogFiles.appendBytes(log, entryRecord(entry(1, 2)));
    assertCorrupt(8);
  }

  @Test
  void aTruncateBeyondTheEndIsCorruption() throws IOException {
    restore();
    LogFiles.appendBytes(log, LogFiles.record(ByteBuffer.allocate(9).put((byte) 2).putLong(N + 2).array()));
    assertCorrupt(fileSize);
  }

  @Test
  void anImpossibleLengthInTheMiddleIsCorruption() throws IOException {
    restore();
    byte[] bytes = Files.readAllBytes(log);
    ByteBuffer.wrap(bytes).putInt(offsets.get(1).intValue(), LogFormat.MAX_BODY + 1);
    Files.write(log, bytes);
    assertCorrupt(offsets.get(1));
  }

  @Test
  void aFileWithAnUnknownVersionIsRefusedNamingTheVersion() throws IOException {
    restore();
    byte[] bytes = Files.readAllBytes(log);
    bytes[7] = 2;
    Files.write(log, bytes);
    CorruptDataException e = assertCorrupt(7);
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
  }

  private static byte[] entryRecord(Entry entry) {
    byte[] encoded = ENTRIES.encode(entry);
    return LogFiles.record(ByteBuffer.allocate(encoded.length + 1).put((byte) 1).put(encoded).array());
  }
}
