package io.raftnode.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** The byte layout of log.dat; docs/STORAGE.md describes it for humans. All integers are big-endian. */
final class LogFormat {
  static final String FILE_NAME = "log.dat";

  /** "RAFTLOG" followed by the format version byte. */
  static final byte[] MAGIC = "RAFTLOG".getBytes(StandardCharsets.US_ASCII);
  static final byte VERSION = 1;
  static final int FILE_HEADER_SIZE = MAGIC.length + 1;

  /** [u32 body length][u32 CRC32C of the body]. */
  static final int RECORD_HEADER_SIZE = 8;

  /**
   * The largest body a record may have. A length above it can only be damage, and refusing it keeps a flipped bit
   * from making recovery allocate gigabytes.
   */
  static final int MAX_BODY = 64 * 1024 * 1024;

  static final byte TYPE_ENTRY = 1;
  static final byte TYPE_TRUNCATE = 2;
  static final int TRUNCATE_BODY_SIZE = 1 + 8;
  /** Drop every entry with index <= upTo (u64); a snapshot covers them. Same size as a truncate record. */
  static final byte TYPE_PURGE = 3;

  private LogFormat() {}

  static byte[] fileHeader() {
    byte[] header = new byte[FILE_HEADER_SIZE];
    System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
    header[MAGIC.length] = VERSION;
    return header;
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /** Could a record header with this length and first body byte have been written by us? */
  static boolean plausible(int bodyLength, byte type) {
    if (type == TYPE_TRUNCATE || type == TYPE_PURGE) return bodyLength == TRUNCATE_BODY_SIZE;
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
}
