package io.raftnode.internal.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The physical limits a durable log works against: how many appends of a given size, each followed by an fsync,
 * the disk takes per second. 4 KiB appends bound small writes by fsync latency; 1 MiB appends bound large values
 * by bandwidth. Measured in the benchmark's own data directory.
 */
final class FsyncProbe {
  private FsyncProbe() {}

  static double appendsWithFsyncPerSecond(Path dir, long millis) throws IOException {
    return appendsWithFsyncPerSecond(dir, millis, 4096);
  }

  /** Appends of {@code bytes} each, every one followed by an fdatasync, per second. */
  static double appendsWithFsyncPerSecond(Path dir, long millis, int bytes) throws IOException {
    Path file = dir.resolve("fsync-probe.dat");
    ByteBuffer block = ByteBuffer.allocate(bytes);
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
