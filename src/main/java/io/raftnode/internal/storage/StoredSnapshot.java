package io.raftnode.internal.storage;

import io.raftnode.internal.model.SnapshotMeta;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A complete snapshot file: its meta and where its data lies. {@code crc} is the CRC32C of the data, which is also
 * the checksum a Snapshot stream ends with.
 */
public record StoredSnapshot(SnapshotMeta meta, Path path, long dataOffset, long dataLength, long crc) {

  /**
   * The data as a stream that checks its CRC32C: reading to the end (or closing, which reads the rest) throws
   * CorruptDataException when the bytes do not match.
   */
  public InputStream openData() throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    ch.position(dataOffset);
    InputStream raw = new java.io.BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
    return new CheckedInput(raw);
  }

  /** Opens the file for positional reads of the data (the sender's chunks). */
  public FileChannel openChannel() throws IOException {
    return FileChannel.open(path, StandardOpenOption.READ);
  }

  private final class CheckedInput extends FilterInputStream {
    private final CRC32C sum = new CRC32C();
    private long remaining = dataLength;
    private boolean checked;

    CheckedInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        check();
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) throw Corruption.at(path, dataOffset + dataLength - remaining, "snapshot data ends early");
      sum.update(b, off, n);
      remaining -= n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) break;
        done += r;
      }
      return done;
    }

    @Override
    public void close() throws IOException {
      try {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
          // drain so the checksum covers every byte
        }
      } finally {
        super.close();
      }
    }

    private void check() throws IOException {
      if (checked) return;
      checked = true;
      if (sum.getValue() != crc) throw Corruption.at(path, dataOffset, "snapshot data CRC32C mismatch");
    }
  }
}
