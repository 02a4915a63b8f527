package io.raftnode.internal.storage;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.SnapshotMeta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The byte layout of a snapshot file (docs/STORAGE.md): a header with magic, version and the msgpack
 * {@link SnapshotMeta}, the state machine's data, and a trailer with the data's length and CRC32C. All integers
 * are big-endian.
 */
final class SnapshotFormat {
  static final byte[] MAGIC = "RAFTSNP".getBytes(StandardCharsets.US_ASCII);
  static final byte VERSION = 1;
  /** magic, version, meta length (u32), meta CRC32C (u32). */
  static final int FIXED_HEADER = MAGIC.length + 1 + 4 + 4;
  /** data length (u64), data CRC32C (u32). */
  static final int TRAILER = 8 + 4;
  static final int MAX_META = 16 * 1024 * 1024;

  private SnapshotFormat() {}

  static int crc(byte[] bytes, int offset, int length) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /** Reads exactly {@code length} bytes at {@code position}. */
  static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0)
        throw new java.io.EOFException("unexpected end of file at byte offset " + (position + buffer.position()));
    }
    return buffer.flip();
  }

  static byte[] header(SnapshotMeta meta) {
    byte[] encoded = RaftCodec.encodeSnapshotMeta(meta);
    return ByteBuffer.allocate(FIXED_HEADER + encoded.length)
        .put(MAGIC).put(VERSION).putInt(encoded.length).putInt(crc(encoded, 0, encoded.length)).put(encoded)
        .array();
  }

  static byte[] trailer(long dataLength, int crc) {
    return ByteBuffer.allocate(TRAILER).putLong(dataLength).putInt(crc).array();
  }

  /** Reads and checks header and trailer; the data's own CRC is checked as it is read (see CheckedInput). */
  static StoredSnapshot read(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < FIXED_HEADER + TRAILER) throw Corruption.at(file, 0, "file too short for a snapshot (" + size + " bytes)");
    ByteBuffer fixed = readFully(ch, 0, FIXED_HEADER);
    byte[] magic = new byte[MAGIC.length];
    fixed.get(magic);
    if (!Arrays.equals(magic, MAGIC)) throw Corruption.at(file, 0, "not a raftnode snapshot (bad magic)");
    byte version = fixed.get();
    if (version != VERSION)
      throw Corruption.at(file, MAGIC.length, "unknown snapshot format version " + Byte.toUnsignedInt(version));
    int metaLength = fixed.getInt();
    int metaCrc = fixed.getInt();
    if (metaLength <= 0 || metaLength > MAX_META || FIXED_HEADER + (long) metaLength + TRAILER > size)
      throw Corruption.at(file, MAGIC.length + 1, "impossible meta length " + Integer.toUnsignedString(metaLength));
    byte[] encoded = readFully(ch, FIXED_HEADER, metaLength).array();
    if (crc(encoded, 0, metaLength) != metaCrc) throw Corruption.at(file, FIXED_HEADER, "meta CRC32C mismatch");
    SnapshotMeta meta;
    try {
      meta = RaftCodec.decodeSnapshotMeta(encoded);
    } catch (CodecException e) {
      throw Corruption.at(file, FIXED_HEADER, "meta does not decode (" + e.getMessage() + ")");
    }
    ByteBuffer trailer = readFully(ch, size - TRAILER, TRAILER);
    long dataLength = trailer.getLong();
    int crc = trailer.getInt();
    long dataOffset = FIXED_HEADER + (long) metaLength;
    if (dataLength != size - TRAILER - dataOffset)
      throw Corruption.at(file, size - TRAILER, "trailer names " + dataLength + " data bytes but the file holds "
          + (size - TRAILER - dataOffset));
    return new StoredSnapshot(meta, file, dataOffset, dataLength, Integer.toUnsignedLong(crc));
  }
}
