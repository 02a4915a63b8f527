package io.raftnode.internal.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Reads and damages log files the way a crash or a bad disk would, written against the documented format. */
final class LogFiles {
  private LogFiles() {}

  /** Start offsets of every record, found by following the length fields from the segment header. */
  /** Where each record of a segment starts, up to its data's end ({@link #dataEnd}). */
  static List<Long> recordOffsets(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<Long> offsets = new ArrayList<>();
    int position = SegmentFormat.HEADER_SIZE;
    while (position < bytes.length && !zerosFrom(bytes, position)) {
      offsets.add((long) position);
      position += 8 + ByteBuffer.wrap(bytes, position, 4).getInt();
    }
    return offsets;
  }

  /** Where a segment's records end: its size, or less when it was made from a spare and has unused zeros left. */
  static long dataEnd(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) end--;
    List<Long> offsets = recordOffsets(file);
    if (offsets.isEmpty()) return SegmentFormat.HEADER_SIZE;
    long last = offsets.get(offsets.size() - 1);
    return last + 8 + ByteBuffer.wrap(bytes, (int) last, 4).getInt();
  }

  private static boolean zerosFrom(byte[] bytes, int position) {
    for (int i = position; i < bytes.length; i++) if (bytes[i] != 0) return false;
    return true;
  }

  static void chop(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  static void flip(Path file, long offset) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) offset] ^= (byte) 0xFF;
    Files.write(file, bytes);
  }

  /** A record as the format defines it: [u32 length][u32 CRC32C(body)][body]. */
  static byte[] record(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    return ByteBuffer.allocate(8 + body.length).putInt(body.length).putInt((int) crc.getValue()).put(body).array();
  }

  static void appendBytes(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.APPEND);
  }
}
