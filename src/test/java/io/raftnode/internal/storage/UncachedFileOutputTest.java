package io.raftnode.internal.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UncachedFileOutputTest {
  @TempDir Path dir;

  /** Pieces of odd sizes, some crossing the buffer's end, some larger than it: the file holds exactly them. */
  private static byte[] writeInPieces(UncachedFileOutput out, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] all = new byte[3 * UncachedFileOutput.BUFFER_BYTES + 12_345];
    random.nextBytes(all);
    int at = 0;
    int[] sizes = {1, 9, 4095, 4097, UncachedFileOutput.BUFFER_BYTES - 3, 17, UncachedFileOutput.BUFFER_BYTES + 5};
    for (int i = 0; at < all.length; i++) {
      int n = Math.min(all.length - at, sizes[i % sizes.length]);
      out.write(all, at, n);
      at += n;
    }
    assertEquals(all.length, out.length());
    out.finish();
    return all;
  }

  @Test
  void fileHoldsExactlyTheBytesWrittenAndNoPadding() throws IOException {
    Path file = dir.resolve("a.tmp");
    UncachedFileOutput out = UncachedFileOutput.create(file);
    byte[] expected = writeInPieces(out, 1);
    assertEquals(expected.length, Files.size(file));
    assertArrayEquals(expected, Files.readAllBytes(file));
  }

  @Test
  void onALinuxDiskFileSystemTheFileBypassesThePageCache() throws IOException {
    String type = Files.getFileStore(dir).type();
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && Set.of("ext4", "xfs").contains(type),
        "O_DIRECT is only expected on ext4 and xfs, this is " + type);
    try (UncachedFileOutput out = UncachedFileOutput.create(dir.resolve("e.tmp"))) {
      assertTrue(out.direct(), "the open with O_DIRECT was refused on " + type);
    }
  }

  @Test
  void throughThePageCacheTheFileIsTheSame() throws IOException {
    Path file = dir.resolve("b.tmp");
    UncachedFileOutput out = UncachedFileOutput.create(file, false);
    assertFalse(out.direct());
    byte[] expected = writeInPieces(out, 2);
    assertArrayEquals(expected, Files.readAllBytes(file));
  }

  @Test
  void aFileShorterThanOneBlockIsCutToItsLength() throws IOException {
    Path file = dir.resolve("c.tmp");
    UncachedFileOutput out = UncachedFileOutput.create(file);
    out.write(new byte[] {1, 2, 3});
    out.finish();
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
  }

  @Test
  void anExistingFileIsNeverOverwritten() throws IOException {
    Path file = dir.resolve("d.tmp");
    Files.write(file, new byte[] {7});
    assertThrows(FileAlreadyExistsException.class, () -> UncachedFileOutput.create(file, false));
    assertThrows(FileAlreadyExistsException.class, () -> UncachedFileOutput.create(file, true));
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(file));
  }
}
