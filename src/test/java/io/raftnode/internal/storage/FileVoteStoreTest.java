package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.TestSerializers.VOTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Vote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVoteStoreTest {
  @TempDir Path dir;

  private FileVoteStore open() throws IOException {
    return FileVoteStore.open(dir, VOTES);
  }

  @Test
  void noFileMeansTheInitialVote() throws IOException {
    assertEquals(Vote.INITIAL, open().load());
  }

  @Test
  void aSavedVoteSurvivesAReopenAndIsReplacedWhole() throws IOException {
    open().save(Vote.of(3, 2, false));
    assertEquals(Vote.of(3, 2, false), open().load());
    FileVoteStore store = open();
    store.save(Vote.of(4, 1, true));
    assertEquals(Vote.of(4, 1, true), store.load());
    assertEquals(Vote.of(4, 1, true), open().load());
    assertFalse(Files.exists(dir.resolve("vote.dat.tmp")), "the temporary file is renamed, not left behind");
  }

  @Test
  void aLeftoverTemporaryFileFromACrashIsIgnoredAndReplaced() throws IOException {
    open().save(Vote.of(5, 3, true));
    Files.write(dir.resolve("vote.dat.tmp"), new byte[] {1, 2, 3});
    assertEquals(Vote.of(5, 3, true), open().load());
    open().save(Vote.of(6, 3, false));
    assertEquals(Vote.of(6, 3, false), open().load());
  }

  @Test
  void anyDamagedByteIsCorruptionNamingTheFile() throws IOException {
    open().save(Vote.of(7, 2, true));
    Path file = dir.resolve("vote.dat");
    byte[] good = Files.readAllBytes(file);
    for (int offset = 0; offset < good.length; offset++) {
      Files.write(file, good);
      LogFiles.flip(file, offset);
      CorruptDataException e = assertThrows(CorruptDataException.class, () -> open().load(), "byte " + offset);
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("offset "), e.getMessage());
    }
  }

  @Test
  void aShortenedFileIsCorruption() throws IOException {
    open().save(Vote.of(7, 2, true));
    Path file = dir.resolve("vote.dat");
    long size = Files.size(file);
    for (long cut = 0; cut < size; cut++) {
      open().save(Vote.of(7, 2, true));
      LogFiles.chop(file, cut);
      assertThrows(CorruptDataException.class, () -> open().load(), "cut at " + cut);
    }
  }
}
