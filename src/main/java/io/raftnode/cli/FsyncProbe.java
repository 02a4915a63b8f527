package io.raftnode.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The physical limit a durable log works against: how many 4 KiB appends, each followed by an fsync, the disk
 * takes per second. Measured in the benchmark's own data directory.
 */
final class FsyncProbe {
  private FsyncProbe() {}

  static double appendsWithFsyncPerSecond(Path dir, long millis) throws IOException {
    Path file = dir.resolve("fsync-probe.dat");
    ByteBuffer block = ByteBuffer.allocate(4096);
    long count = 0;
    long start = System.nanoTime();
    long end = start + millis * 1_000_000;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      while (System.nanoTime() < end) {
        block.clear();
        while (block.hasRemaining()) channel.write(block);
        channel.force(false);
        count++;
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }
}
