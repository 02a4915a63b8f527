package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.TestSerializers.ENTRIES;
import static io.raftnode.internal.storage.TestSerializers.VOTES;
import static io.raftnode.internal.storage.TestSerializers.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Vote;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
  @TempDir Path root;

  private DataDir open(Path dir) throws IOException {
    return DataDir.open(dir, ENTRIES, VOTES, 4096);
  }

  @Test
  void createsTheDirAndKeepsLogAndVoteAcrossReopens() throws IOException {
    Path dir = root.resolve("a").resolve("node1");
    try (DataDir dataDir = open(dir)) {
      assertEquals(dir, dataDir.path());
      dataDir.logStore().append(0, entries(1, 1, 3));
      dataDir.voteStore().save(Vote.of(1, 1, true));
    }
    try (DataDir dataDir = open(dir)) {
      assertEquals(entries(1, 1, 3), dataDir.logStore().loadFrom(1).entries());
      assertEquals(Vote.of(1, 1, true), dataDir.voteStore().load());
    }
    assertTrue(Files.exists(dir.resolve("LOCK")));
  }

  @Test
  void aSecondOpenOfTheSameDirIsRefusedUntilTheFirstCloses() throws IOException {
    Path dir = root.resolve("node1");
    try (DataDir first = open(dir)) {
      IOException e = assertThrows(IOException.class, () -> open(dir));
      assertTrue(e.getMessage().contains("data dir " + dir + " is in use by another process"), e.getMessage());
      first.logStore().append(0, entries(1, 1, 1));
    }
    try (DataDir again = open(dir)) {
      assertEquals(entries(1, 1, 1), again.logStore().loadFrom(1).entries());
    }
  }

  @Test
  void aDirHeldByAnotherProcessIsRefusedNamingItsPid() throws Exception {
    Path dir = root.resolve("shared");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path");
    Process holder =
        new ProcessBuilder(java, "-cp", classPath, LockHolder.class.getName(), dir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine());
      IOException e = assertThrows(IOException.class, () -> open(dir));
      assertTrue(e.getMessage().contains("is in use by another process"), e.getMessage());
      assertTrue(e.getMessage().contains("pid " + holder.pid()), e.getMessage());
    } finally {
      holder.getOutputStream().close();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    }
    try (DataDir dataDir = open(dir)) {
      assertEquals(Vote.INITIAL, dataDir.voteStore().load());
    }
  }

  @Test
  void aCorruptLogReleasesTheLockSoTheOperatorCanRetry() throws IOException {
    Path dir = root.resolve("node1");
    Files.createDirectories(dir);
    Path segment = dir.resolve("log").resolve(SegmentFormat.fileName(1));
    Files.createDirectories(segment.getParent());
    Files.write(segment, "not a log segment, not at all".getBytes(StandardCharsets.US_ASCII));
    assertThrows(CorruptDataException.class, () -> open(dir));
    Files.delete(segment);
    try (DataDir dataDir = open(dir)) {
      assertEquals(0, dataDir.logStore().loadFrom(1).entries().size());
    }
  }

  @Test
  void aLogInTheOldSingleFileFormatIsRefusedRatherThanIgnored() throws IOException {
    Path dir = root.resolve("node1");
    Files.createDirectories(dir);
    Files.write(dir.resolve("log.dat"), new byte[] {'R', 'A', 'F', 'T', 'L', 'O', 'G', 1});
    CorruptDataException e = assertThrows(CorruptDataException.class, () -> open(dir));
    assertTrue(e.getMessage().contains("log.dat"), e.getMessage());
  }
}
