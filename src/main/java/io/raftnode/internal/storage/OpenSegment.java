package io.raftnode.internal.storage;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The segment the log appends to: its file, where its valid data ends and the offset of every entry in it. Writes
 * are not durable until {@link #force}.
 */
final class OpenSegment implements AutoCloseable {
  private final Path file;
  private final long firstIndex;
  private final FileChannel channel;
  private final Positions positions;
  private final RecordSerializer<Entry> serializer;
  /** Volatile: readers on other threads bound what they read by it; it moves only after the bytes are written. */
  private volatile long end;
  private LogId lastLogId;
  /** Batches up to this size reuse one direct buffer; a larger one (a huge entry) gets a buffer of its own. */
  private static final int MAX_KEPT_WRITE_BUFFER = 4 << 20;
  private ByteBuffer writeBuffer;
  private final CRC32C crc = new CRC32C();

  OpenSegment(Path file, long firstIndex, FileChannel channel, Positions positions, long end, LogId lastLogId,
      RecordSerializer<Entry> serializer) {
    this.file = file;
    this.firstIndex = firstIndex;
    this.channel = channel;
    this.positions = positions;
    this.end = end;
    this.lastLogId = lastLogId;
    this.serializer = serializer;
  }

  /** Creates an empty segment starting at {@code firstIndex}; its header and directory entry are durable. */
  static OpenSegment create(Path dir, long firstIndex, RecordSerializer<Entry> serializer) throws IOException {
    Path file = dir.resolve(SegmentFormat.fileName(firstIndex));
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      SegmentFormat.writeFully(channel, 0, ByteBuffer.wrap(SegmentFormat.header(firstIndex)));
      channel.force(true);
      Directories.fsync(dir);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return new OpenSegment(file, firstIndex, channel, new Positions(), SegmentFormat.HEADER_SIZE, null, serializer);
  }

  /**
   * Turns {@code spare}, a durable file of zeros ({@link SpareSegment}), into an empty segment starting at
   * {@code firstIndex}: the header goes over its first bytes, then it is renamed; header and name are durable. The
   * zeros after the header are the segment's unused space, which a scan takes as its end.
   */
  static OpenSegment fromSpare(Path dir, Path spare, long firstIndex, RecordSerializer<Entry> serializer)
      throws IOException {
    Path file = dir.resolve(SegmentFormat.fileName(firstIndex));
    FileChannel channel = FileChannel.open(spare, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      SegmentFormat.writeFully(channel, 0, ByteBuffer.wrap(SegmentFormat.header(firstIndex)));
      channel.force(false);
      Files.move(spare, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Directories.fsync(dir);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return new OpenSegment(file, firstIndex, channel, new Positions(), SegmentFormat.HEADER_SIZE, null, serializer);
  }

  Path file() {
    return file;
  }

  FileChannel channel() {
    return channel;
  }

  long firstIndex() {
    return firstIndex;
  }

  /** The last entry's id, null while the segment has no entries. */
  LogId lastLogId() {
    return lastLogId;
  }

  long lastIndex() {
    return firstIndex + positions.size() - 1;
  }

  int entryCount() {
    return positions.size();
  }

  /** Where the valid data ends: the next record goes here. */
  long end() {
    return end;
  }

  /**
   * Frames the encoded entries as records and writes them (one write call) continuing the segment; {@code last} is
   * the last one's id. The records are laid out in a direct buffer kept between batches, so a batch costs no
   * allocation and the channel writes it without another copy.
   */
  void append(List<byte[]> payloads, LogId last) throws IOException {
    int total = 0;
    for (byte[] payload : payloads) total += SegmentFormat.recordSize(payload.length);
    ByteBuffer batch = writeBuffer(total);
    for (byte[] payload : payloads) {
      positions.add(end + batch.position());
      SegmentFormat.putRecord(batch, SegmentFormat.TYPE_ENTRY, payload, crc);
    }
    SegmentFormat.writeFully(channel, end, batch.flip());
    end = end + total;
    lastLogId = last;
  }

  /** A cleared buffer of at least {@code size} bytes: the kept direct one, grown when needed, up to a bound. */
  private ByteBuffer writeBuffer(int size) {
    if (size > MAX_KEPT_WRITE_BUFFER) return ByteBuffer.allocate(size);
    if (writeBuffer == null || writeBuffer.capacity() < size) {
      int grown = Math.max(size, writeBuffer == null ? 32 * 1024 : 2 * writeBuffer.capacity());
      writeBuffer = ByteBuffer.allocateDirect(Math.min(MAX_KEPT_WRITE_BUFFER, grown));
    }
    return writeBuffer.clear();
  }

  /**
   * Cuts the segment before entry {@code index} (and anything after it, a seal included). Durable with the next
   * {@link #force}.
   */
  void truncate(long index) throws IOException {
    int i = Math.toIntExact(index - firstIndex);
    long cut = positions.get(i);
    channel.truncate(cut);
    positions.truncate(i);
    end = cut;
    lastLogId = i == 0 ? null : readEntry(i - 1).logId();
  }

  private Entry readEntry(int i) throws IOException {
    long offset = positions.get(i);
    int length = SegmentFormat.readFully(channel, offset, SegmentFormat.RECORD_HEADER_SIZE).getInt();
    byte[] record = SegmentFormat.readFully(channel, offset, SegmentFormat.RECORD_HEADER_SIZE + length).array();
    return SegmentFormat.decodeEntry(file, offset, record, 0, length, firstIndex + i, serializer);
  }

  Positions positions() {
    return positions;
  }

  /** Makes everything written so far durable (fdatasync: also persists the file's grown or shrunk size). */
  void force() throws IOException {
    channel.force(false);
  }

  /**
   * Ends the segment with a seal record naming its last entry, makes it durable and closes the file. Called only
   * once the next segment exists durably, so a sealed segment is never legitimately the last one. Unused space
   * (a segment made from a spare) is cut off first, so the seal is the file's last record.
   */
  void seal() throws IOException {
    if (channel.size() > end) channel.truncate(end);
    SegmentFormat.writeFully(channel, end, ByteBuffer.wrap(SegmentFormat.sealRecord(lastLogId)));
    end = end + SegmentFormat.SEAL_RECORD_SIZE;
    channel.force(false);
    channel.close();
  }

  void delete() throws IOException {
    channel.close();
    Files.deleteIfExists(file);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
