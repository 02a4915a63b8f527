package io.raftnode.internal.storage;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.SnapshotMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A backup file written by {@code snapshot save} and read by {@code snapshot restore} (docs/STORAGE.md,
 * "Backup files"): a header with magic, version and the snapshot's msgpack {@link SnapshotMeta}, the state
 * machine's snapshot data, and a trailer with the data's length and CRC32C. The layout is the snapshot file's with
 * its own magic, so a backup is never mistaken for a node's snapshot file or the other way round.
 */
public final class BackupFile {
  static final byte[] MAGIC = "RAFTBAK".getBytes(StandardCharsets.US_ASCII);
  static final byte VERSION = 1;
  private static final int FIXED_HEADER = MAGIC.length + 1 + 4 + 4;
  private static final int TRAILER = 8 + 4;
  private static final int MAX_META = 16 * 1024 * 1024;

  /** What a backup file holds and where its data lies; {@code crc} is the data's CRC32C as the trailer names it. */
  public record Contents(SnapshotMeta meta, Path path, long dataOffset, long dataLength, long crc) {
    /** The data, as stored; {@link BackupFile#verify} checks it against {@code crc}. */
    public InputStream openData() throws IOException {
      FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
      ch.position(dataOffset);
      return new BoundedInput(Channels.newInputStream(ch), dataLength);
    }
  }

  private BackupFile() {}

  /** Reads and checks the header and trailer (not the data: see {@link #verify}). */
  public static Contents read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < FIXED_HEADER + TRAILER) throw corrupt(file, "too short for a backup (" + size + " bytes)");
      ByteBuffer fixed = SnapshotFormat.readFully(ch, 0, FIXED_HEADER);
      byte[] magic = new byte[MAGIC.length];
      fixed.get(magic);
      if (!Arrays.equals(magic, MAGIC)) throw corrupt(file, "not a raftnode backup (bad magic)");
      int version = Byte.toUnsignedInt(fixed.get());
      if (version != VERSION)
        throw corrupt(file, "backup format version " + version + " is not one this build reads (it reads " + VERSION + ")");
      int metaLength = fixed.getInt();
      int metaCrc = fixed.getInt();
      if (metaLength <= 0 || metaLength > MAX_META || FIXED_HEADER + (long) metaLength + TRAILER > size)
        throw corrupt(file, "impossible meta length " + Integer.toUnsignedString(metaLength));
      byte[] encoded = SnapshotFormat.readFully(ch, FIXED_HEADER, metaLength).array();
      if (SnapshotFormat.crc(encoded, 0, metaLength) != metaCrc) throw corrupt(file, "meta CRC32C mismatch");
      SnapshotMeta meta;
      try {
        meta = RaftCodec.decodeSnapshotMeta(encoded);
      } catch (CodecException e) {
        throw corrupt(file, "meta does not decode (" + e.getMessage() + ")");
      }
      ByteBuffer trailer = SnapshotFormat.readFully(ch, size - TRAILER, TRAILER);
      long dataLength = trailer.getLong();
      long crc = Integer.toUnsignedLong(trailer.getInt());
      long dataOffset = FIXED_HEADER + (long) metaLength;
      if (dataLength != size - TRAILER - dataOffset)
        throw corrupt(file, "the trailer names " + dataLength + " data bytes but the file holds "
            + (size - TRAILER - dataOffset) + " (truncated or not a complete backup)");
      return new Contents(meta, file, dataOffset, dataLength, crc);
    }
  }

  /** Reads the whole file and checks the data against its CRC32C; a mismatch is a CorruptDataException. */
  public static Contents verify(Path file) throws IOException {
    Contents contents = read(file);
    CRC32C sum = new CRC32C();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = contents.openData()) {
      for (int n; (n = in.read(buf)) >= 0; ) sum.update(buf, 0, n);
    }
    if (sum.getValue() != contents.crc())
      throw corrupt(file, "data CRC32C is " + Long.toHexString(sum.getValue()) + ", the trailer says "
          + Long.toHexString(contents.crc()));
    return contents;
  }

  /**
   * Starts writing the backup of {@code meta} to {@code target}: the bytes go to {@code target.part} and become
   * {@code target} only once {@link Writer#commit} has checked them.
   */
  public static Writer create(Path target, SnapshotMeta meta) throws IOException {
    return new Writer(target, meta);
  }

  private static CorruptDataException corrupt(Path file, String problem) {
    return new CorruptDataException("backup " + file + " cannot be used: " + problem);
  }

  /** A backup being written; nothing appears at the target unless {@link #commit} succeeds. */
  public static final class Writer implements AutoCloseable {
    private final Path target;
    private final Path part;
    private final FileChannel ch;
    private final CRC32C crc = new CRC32C();
    private long length;
    private boolean committed;

    private Writer(Path target, SnapshotMeta meta) throws IOException {
      this.target = target;
      this.part = target.resolveSibling(target.getFileName() + ".part");
      this.ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      byte[] encoded = RaftCodec.encodeSnapshotMeta(meta);
      writeFully(ByteBuffer.allocate(FIXED_HEADER + encoded.length).put(MAGIC).put(VERSION).putInt(encoded.length)
          .putInt(SnapshotFormat.crc(encoded, 0, encoded.length)).put(encoded).flip());
    }

    public void write(byte[] data) throws IOException {
      writeFully(ByteBuffer.wrap(data));
      crc.update(data, 0, data.length);
      length += data.length;
    }

    public long length() {
      return length;
    }

    /**
     * Checks that the data written is {@code expectedLength} bytes with CRC32C {@code expectedCrc} (what the node
     * said it sent), writes the trailer, fsyncs and renames the file into place, fsyncing the directory.
     */
    public void commit(long expectedLength, long expectedCrc) throws IOException {
      if (length != expectedLength)
        throw new CorruptDataException("backup stream ended after " + length + " of " + expectedLength + " bytes");
      if (crc.getValue() != expectedCrc)
        throw new CorruptDataException("backup data CRC32C is " + Long.toHexString(crc.getValue())
            + " but the node sent " + Long.toHexString(expectedCrc) + "; the copy is damaged");
      writeFully(ByteBuffer.allocate(TRAILER).putLong(length).putInt((int) crc.getValue()).flip());
      ch.force(true);
      ch.close();
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Path dir = target.toAbsolutePath().getParent();
      if (dir != null) Directories.fsync(dir);
      committed = true;
    }

    /** Drops the partial file of a backup that was not committed. */
    @Override
    public void close() throws IOException {
      if (committed) return;
      ch.close();
      Files.deleteIfExists(part);
    }

    private void writeFully(ByteBuffer b) throws IOException {
      while (b.hasRemaining()) ch.write(b);
    }
  }

  /** The data region only: a stream that ends where the trailer starts. */
  private static final class BoundedInput extends java.io.FilterInputStream {
    private long remaining;

    BoundedInput(InputStream in, long length) {
      super(new java.io.BufferedInputStream(in, 1 << 16));
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) return -1;
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) throw new java.io.EOFException("backup data ends early");
      remaining -= n;
      return n;
    }
  }
}
