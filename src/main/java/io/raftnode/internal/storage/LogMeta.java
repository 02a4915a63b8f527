package io.raftnode.internal.storage;

import io.raftnode.internal.model.LogId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * {@code log/meta}: the id of the last entry removed by a prefix purge, so a log that starts after a snapshot
 * (first index > 1) is known to be whole, and the start of a suffix truncation that spans segments while it is under
 * way, so that a crash in the middle of one is finished at open instead of looking like a missing segment. Replaced
 * atomically (temp file, fsync, rename, fsync dir); a missing file means nothing was ever purged or truncated.
 */
record LogMeta(LogId purged, long truncating) {
  static final LogMeta NONE = new LogMeta(null, 0);

  static final String FILE_NAME = "meta";
  static final String TEMP_NAME = "meta.tmp";
  /** "RAFTLMT" followed by the format version byte. */
  static final byte[] MAGIC = "RAFTLMT".getBytes(StandardCharsets.US_ASCII);
  static final byte VERSION = 1;
  static final int BODY_OFFSET = MAGIC.length + 1;
  static final int CRC_OFFSET = BODY_OFFSET + 4 * 8;
  static final int SIZE = CRC_OFFSET + 4;

  /** What {@code dir/meta} records; {@link #NONE} when there is no such file. */
  static LogMeta read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return NONE;
    }
    if (bytes.length != SIZE)
      throw Corruption.at(file, 0, "the file has " + bytes.length + " bytes instead of " + SIZE);
    if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length))
      throw Corruption.at(file, 0, "not a raftnode log meta file (bad magic)");
    if (bytes[MAGIC.length] != VERSION)
      throw Corruption.at(file, MAGIC.length, "unknown log meta format version " + Byte.toUnsignedInt(bytes[MAGIC.length])
          + " (this build reads version " + VERSION + ")");
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (SegmentFormat.crc(bytes, 0, CRC_OFFSET) != buffer.getInt(CRC_OFFSET))
      throw Corruption.at(file, CRC_OFFSET, "CRC32C mismatch");
    buffer.position(BODY_OFFSET);
    try {
      LogId purged = LogId.of(buffer.getLong(), buffer.getLong(), buffer.getLong());
      long truncating = buffer.getLong();
      if (truncating < 0 || (truncating > 0 && truncating <= purged.index()))
        throw new IllegalArgumentException("truncation from " + truncating + " inside the purged prefix");
      return new LogMeta(purged.index() == 0 ? null : purged, truncating);
    } catch (IllegalArgumentException e) {
      throw Corruption.at(file, BODY_OFFSET, "impossible contents (" + e.getMessage() + ")");
    }
  }

  LogMeta withPurged(LogId id) {
    return new LogMeta(id, truncating);
  }

  LogMeta withTruncating(long from) {
    return new LogMeta(purged, from);
  }

  /** Durably replaces {@code dir/meta} with this: after a crash the file holds the old contents or the new. */
  void write(Path dir) throws IOException {
    LogId id = purged == null ? LogId.of(0, 0, 0) : purged;
    ByteBuffer contents = ByteBuffer.allocate(SIZE);
    contents.put(MAGIC).put(VERSION);
    contents.putLong(id.term()).putLong(id.leaderId().nodeId()).putLong(id.index()).putLong(truncating);
    contents.putInt(SegmentFormat.crc(contents.array(), 0, CRC_OFFSET)).flip();
    Path temp = dir.resolve(TEMP_NAME);
    try (FileChannel channel = FileChannel.open(
        temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      SegmentFormat.writeFully(channel, 0, contents);
      channel.force(true);
    }
    Files.move(temp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
    Directories.fsync(dir);
  }
}
