package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data dir size Status reports: every regular file below the dir, nested ones included. */
class DataDirSizeTest {
  @TempDir Path dir;

  @Test
  void sumsEveryFileBelowTheDir() throws Exception {
    Files.write(dir.resolve("vote"), new byte[17]);
    Files.createDirectories(dir.resolve("log"));
    Files.write(dir.resolve("log").resolve("segment-1"), new byte[4096]);
    Files.createDirectories(dir.resolve("snapshots").resolve("snap-9"));
    Files.write(dir.resolve("snapshots").resolve("snap-9").resolve("data"), new byte[1000]);
    assertEquals(17 + 4096 + 1000, DataDirSize.measure(dir));
  }

  @Test
  void aMissingDirIsEmpty() throws Exception {
    assertEquals(0, DataDirSize.measure(dir.resolve("not-there")));
  }
}
