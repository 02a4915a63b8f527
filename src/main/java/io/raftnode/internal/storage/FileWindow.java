package io.raftnode.internal.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A movable window onto the first {@code limit} bytes of a file, filled by positional reads one block at a time:
 * a scan or a read of a segment holds one block on the heap (more only for a record larger than a block) however
 * large the file is, and never maps it (mapped pages would count against the process's resident memory).
 */
final class FileWindow {
  static final int BLOCK_BYTES = 1 << 20;

  private final FileChannel channel;
  private final long limit;
  private byte[] bytes = new byte[0];
  private long start;
  private int length;

  FileWindow(FileChannel channel, long limit) {
    this.channel = channel;
    this.limit = limit;
  }

  long limit() {
    return limit;
  }

  /** The array {@link #at} offsets point into; valid until the next call of {@link #at}. */
  byte[] bytes() {
    return bytes;
  }

  /**
   * Makes the {@code n} bytes at file offset {@code position} available (they must lie within the limit) and
   * returns where they start in {@link #bytes()}.
   */
  int at(long position, int n) throws IOException {
    if (position < 0 || n < 0 || position + n > limit)
      throw new IllegalArgumentException(n + " bytes at " + position + " are past the limit " + limit);
    if (position >= start && position + n <= start + length) return (int) (position - start);
    int want = (int) Math.min(Math.max(BLOCK_BYTES, n), limit - position);
    if (bytes.length < want) bytes = new byte[Math.max(want, Math.min(BLOCK_BYTES, (int) (limit - position)))];
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, want);
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, position + buffer.position());
      if (read < 0) throw new java.io.EOFException("unexpected end of file at byte offset " + (position + buffer.position()));
    }
    start = position;
    length = want;
    return 0;
  }

  int intAt(long position) throws IOException {
    int i = at(position, 4);
    return ByteBuffer.wrap(bytes, i, 4).getInt();
  }
}
