package io.raftnode.internal.storage;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends bytes to a new file through one direct buffer, bypassing the page cache ({@code O_DIRECT}) where the
 * file system allows it, and through the page cache where it does not (tmpfs, macOS).
 *
 * <p>Why: a snapshot writes the whole state at once, hundreds of MiB, and is read back rarely (a restart, a
 * follower that needs it). Through the page cache the kernel zeroes and fills a page for every 4 KiB, the copy
 * costs as much CPU as making the snapshot itself, and the dirty pages then compete with the log's fsyncs for the
 * disk. Written directly, the data goes from this buffer to the disk; the last block is padded and the file cut
 * back to its length before it is synced.
 */
final class UncachedFileOutput implements AutoCloseable {
  static final int BUFFER_BYTES = 1 << 20;
  private static final int MIN_ALIGNMENT = 4096;

  private final FileChannel channel;
  private final boolean direct;
  private final int alignment;
  private final ByteBuffer buffer;
  /** Bytes appended, buffered or written: the file's length once {@link #finish} is done. */
  private long length;

  private UncachedFileOutput(FileChannel channel, boolean direct, int alignment) {
    this.channel = channel;
    this.direct = direct;
    this.alignment = alignment;
    this.buffer = ByteBuffer.allocateDirect(BUFFER_BYTES + alignment).alignedSlice(alignment);
  }

  /** Creates {@code file}, which must not exist. */
  static UncachedFileOutput create(Path file) throws IOException {
    return create(file, true);
  }

  /** As {@link #create(Path)}; {@code tryDirect} false goes through the page cache at once. */
  static UncachedFileOutput create(Path file, boolean tryDirect) throws IOException {
    int alignment = alignment(file.getParent());
    FileChannel direct = tryDirect ? openDirect(file) : null;
    if (direct != null) return new UncachedFileOutput(direct, true, alignment);
    FileChannel cached = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new UncachedFileOutput(cached, false, alignment);
  }

  /** The new file opened with O_DIRECT, or null when the file system refuses the flag. */
  private static FileChannel openDirect(Path file) throws IOException {
    try {
      return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
    } catch (FileAlreadyExistsException taken) {
      throw taken;
    } catch (UnsupportedOperationException | IOException refused) {
      Files.deleteIfExists(file); // Linux may have created the file before refusing the flag
      return null;
    }
  }

  private static int alignment(Path dir) throws IOException {
    long block;
    try {
      block = Files.getFileStore(dir).getBlockSize();
    } catch (UnsupportedOperationException unknown) {
      block = MIN_ALIGNMENT;
    }
    return (int) Math.max(MIN_ALIGNMENT, Math.min(block, BUFFER_BYTES));
  }

  /** True when the file bypasses the page cache. */
  boolean direct() {
    return direct;
  }

  long length() {
    return length;
  }

  void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, buffer.remaining());
      buffer.put(b, off, n);
      off += n;
      len -= n;
      length += n;
      if (!buffer.hasRemaining()) drain();
    }
  }

  void write(byte[] b) throws IOException {
    write(b, 0, b.length);
  }

  /** Writes what is buffered, cuts the file to {@link #length} and fsyncs it. */
  void finish() throws IOException {
    if (direct && buffer.position() % alignment != 0) {
      int padded = (buffer.position() / alignment + 1) * alignment;
      while (buffer.position() < padded) buffer.put((byte) 0);
    }
    drain();
    if (direct) channel.truncate(length);
    channel.force(true);
    channel.close();
  }

  private void drain() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) channel.write(buffer);
    buffer.clear();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
