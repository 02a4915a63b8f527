package io.raftnode.internal.storage;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/** The byte layout of the segment files in {@code log/}; docs/STORAGE.md describes it for humans. Big-endian. */
final class SegmentFormat {
  static final String DIR_NAME = "log";

  /** "RAFTSEG" followed by the format version byte, the segment's first index and a CRC32C of those 16 bytes. */
  static final byte[] MAGIC = "RAFTSEG".getBytes(StandardCharsets.US_ASCII);
  static final byte VERSION = 1;
  static final int VERSION_OFFSET = MAGIC.length;
  static final int FIRST_INDEX_OFFSET = VERSION_OFFSET + 1;
  static final int HEADER_CRC_OFFSET = FIRST_INDEX_OFFSET + 8;
  static final int HEADER_SIZE = HEADER_CRC_OFFSET + 4;

  /** [u32 body length][u32 CRC32C of the body]. */
  static final int RECORD_HEADER_SIZE = 8;

  /**
   * The largest body a record may have. A length above it can only be damage, and refusing it keeps a flipped bit
   * from making recovery allocate gigabytes.
   */
  static final int MAX_BODY = 64 * 1024 * 1024;

  static final byte TYPE_ENTRY = 1;
  /** The last record of a closed segment: the id of its last entry, so reopening need not read the segment. */
  static final byte TYPE_SEAL = 2;
  static final int SEAL_BODY_SIZE = 1 + 3 * 8;
  static final int SEAL_RECORD_SIZE = RECORD_HEADER_SIZE + SEAL_BODY_SIZE;

  private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.seg");

  private SegmentFormat() {}

  static String fileName(long firstIndex) {
    return String.format("segment-%020d.seg", firstIndex);
  }

  /** The first index a segment file name carries, or -1 when the name is not a segment's. */
  static long firstIndexOf(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) return -1;
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException tooLarge) {
      return -1;
    }
  }

  static byte[] header(long firstIndex) {
    ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
    header.put(MAGIC).put(VERSION).putLong(firstIndex);
    header.putInt(crc(header.array(), 0, HEADER_CRC_OFFSET));
    return header.array();
  }

  /** Throws CorruptDataException unless {@code bytes} start with the header of the segment at {@code firstIndex}. */
  static void checkHeader(Path file, byte[] bytes, long firstIndex) throws CorruptDataException {
    if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length))
      throw Corruption.at(file, 0, "not a raftnode log segment (bad magic)");
    byte version = bytes[VERSION_OFFSET];
    if (version != VERSION)
      throw Corruption.at(file, VERSION_OFFSET, "unknown segment format version " + Byte.toUnsignedInt(version)
          + " (this build reads version " + VERSION + ")");
    ByteBuffer header = ByteBuffer.wrap(bytes);
    if (crc(bytes, 0, HEADER_CRC_OFFSET) != header.getInt(HEADER_CRC_OFFSET))
      throw Corruption.at(file, 0, "the segment header fails its CRC32C");
    long named = header.getLong(FIRST_INDEX_OFFSET);
    if (named != firstIndex)
      throw Corruption.at(file, FIRST_INDEX_OFFSET,
          "the header says the segment starts at index " + named + " but its file name says " + firstIndex);
  }

  /** [length][crc][type][payload]: one framed record around {@code payload}. */
  static byte[] record(byte type, byte[] payload) {
    int length = payload.length + 1;
    byte[] record = new byte[RECORD_HEADER_SIZE + length];
    record[RECORD_HEADER_SIZE] = type;
    System.arraycopy(payload, 0, record, RECORD_HEADER_SIZE + 1, payload.length);
    ByteBuffer.wrap(record).putInt(length).putInt(crc(record, RECORD_HEADER_SIZE, length));
    return record;
  }

  /** The size of the framed record around a payload of {@code payloadLength} bytes. */
  static int recordSize(int payloadLength) {
    return RECORD_HEADER_SIZE + 1 + payloadLength;
  }

  /** Writes the framed record around {@code payload} into {@code dst}: the same bytes as {@link #record}. */
  static void putRecord(ByteBuffer dst, byte type, byte[] payload, CRC32C crc) {
    crc.reset();
    crc.update(type);
    crc.update(payload, 0, payload.length);
    dst.putInt(payload.length + 1).putInt((int) crc.getValue()).put(type).put(payload);
  }

  static byte[] sealRecord(LogId last) {
    byte[] payload = ByteBuffer.allocate(SEAL_BODY_SIZE - 1)
        .putLong(last.term()).putLong(last.leaderId().nodeId()).putLong(last.index()).array();
    return record(TYPE_SEAL, payload);
  }

  /** The last entry id a seal body (type byte included) names; throws IllegalArgumentException for impossible ids. */
  static LogId sealedLogId(byte[] bytes, int bodyOffset) {
    ByteBuffer body = ByteBuffer.wrap(bytes, bodyOffset + 1, SEAL_BODY_SIZE - 1);
    return LogId.of(body.getLong(), body.getLong(), body.getLong());
  }

  /**
   * The entry in the record at file offset {@code position}, whose body ({@code length} bytes, type byte
   * included) starts at {@code bytes[at + RECORD_HEADER_SIZE]}; it must have index {@code expectedIndex}.
   */
  static Entry decodeEntry(Path file, long position, byte[] bytes, int at, int length, long expectedIndex,
      RecordSerializer<Entry> serializer) throws CorruptDataException {
    Entry entry;
    try {
      int body = at + RECORD_HEADER_SIZE + 1;
      entry = serializer.decode(Arrays.copyOfRange(bytes, body, body + length - 1));
    } catch (CodecException e) {
      throw Corruption.at(file, position, "entry record does not decode (" + e.getMessage() + ")");
    }
    if (entry.index() != expectedIndex)
      throw Corruption.at(file, position,
          "entry " + entry.logId() + " has index " + entry.index() + " but the log needs index " + expectedIndex);
    return entry;
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /** Could a record header with this length and first body byte have been written by us? */
  static boolean plausible(int bodyLength, byte type) {
    if (type == TYPE_SEAL) return bodyLength == SEAL_BODY_SIZE;
    return type == TYPE_ENTRY && bodyLength > 1 && bodyLength <= MAX_BODY;
  }

  /** Reads exactly {@code length} bytes at {@code position}. */
  static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, position + buffer.position());
      if (read < 0) throw new EOFException("unexpected end of file at byte offset " + (position + buffer.position()));
    }
    return buffer.flip();
  }

  static void writeFully(FileChannel channel, long position, ByteBuffer bytes) throws IOException {
    int start = bytes.position();
    while (bytes.hasRemaining()) channel.write(bytes, position + bytes.position() - start);
  }
}
