package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.SegmentFormat.HEADER_SIZE;
import static io.raftnode.internal.storage.SegmentFormat.MAX_BODY;
import static io.raftnode.internal.storage.SegmentFormat.RECORD_HEADER_SIZE;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads one segment file block by block and checks every record in it. In {@link Mode#RECOVER} (the last segment,
 * at open) it tells a crash mid-write (an incomplete or unverifiable last record, safe to cut off: its write was
 * never acknowledged) from damage; in the other modes any problem is damage, a CorruptDataException. Entries from
 * a chosen index on are decoded and handed to a {@link Sink} one at a time; nothing is collected, so a scan holds
 * one block of the file in memory, not the file.
 */
final class SegmentScan {
  enum Mode {
    /** The last segment at open: a torn tail is reported, a seal is allowed. */
    RECOVER,
    /** The segment being written, up to its known end: no seal. */
    OPEN,
    /** A closed segment: must end with its seal record. */
    CLOSED
  }

  /** Receives the decoded entries of a scan, in index order. */
  interface Sink {
    Sink NONE = (entry, offset) -> {};

    void entry(Entry entry, long offset) throws IOException;
  }

  /** Where valid data ends, the last entry's id, the seal, and a torn tail (RECOVER only). */
  record Result(long validEnd, LogId lastLogId, boolean sealed, TornTail torn) {}

  record TornTail(long offset, String problem) {}

  private final Path file;
  private final long firstIndex;
  private final Mode mode;
  private final long collectFrom;
  private final Sink sink;
  private final Positions positions;
  private final RecordSerializer<Entry> serializer;
  private final FileWindow window;
  private final long size;
  private long count;
  private long lastEntryOffset = -1;
  private LogId lastCollected;
  private LogId seal;
  private long trailingZerosStart = -1;

  private SegmentScan(Path file, FileWindow window, long firstIndex, Mode mode, long collectFrom, Sink sink,
      Positions positions, RecordSerializer<Entry> serializer) {
    this.file = file;
    this.window = window;
    this.size = window.limit();
    this.firstIndex = firstIndex;
    this.mode = mode;
    this.collectFrom = collectFrom;
    this.sink = sink;
    this.positions = positions;
    this.serializer = serializer;
  }

  /**
   * Scans the first {@code limit} bytes of the segment starting at {@code firstIndex}, decoding the entries with
   * index >= {@code collectFrom} into {@code sink}, and recording every entry's offset in {@code positions} (if
   * given).
   */
  static Result scan(Path file, FileChannel channel, long limit, long firstIndex, Mode mode, long collectFrom,
      Sink sink, Positions positions, RecordSerializer<Entry> serializer) throws IOException {
    if (limit > Integer.MAX_VALUE - 8) throw Corruption.at(file, 0, "the segment is larger than 2 GiB (" + limit + ")");
    return new SegmentScan(file, new FileWindow(channel, limit), firstIndex, mode, collectFrom, sink, positions,
        serializer).run();
  }

  private Result run() throws IOException {
    if (size < HEADER_SIZE) return shortFile();
    int h = window.at(0, HEADER_SIZE);
    SegmentFormat.checkHeader(file, Arrays.copyOfRange(window.bytes(), h, h + HEADER_SIZE), firstIndex);
    long position = HEADER_SIZE;
    while (position < size) {
      long remaining = size - position;
      if ((remaining < RECORD_HEADER_SIZE || window.intAt(position) == 0) && position >= trailingZerosStart()) break;
      if (remaining < RECORD_HEADER_SIZE)
        return damaged(position, "incomplete record header (" + remaining + " of " + RECORD_HEADER_SIZE + " bytes)");
      int at = window.at(position, RECORD_HEADER_SIZE);
      ByteBuffer header = ByteBuffer.wrap(window.bytes(), at, RECORD_HEADER_SIZE);
      int length = header.getInt();
      int crc = header.getInt();
      if (length <= 0 || length > MAX_BODY)
        return damaged(position, "impossible record length " + Integer.toUnsignedString(length));
      if (length > remaining - RECORD_HEADER_SIZE)
        return damaged(position,
            "record body cut short (" + (remaining - RECORD_HEADER_SIZE) + " of " + length + " bytes present)");
      at = window.at(position, RECORD_HEADER_SIZE + length);
      byte[] bytes = window.bytes();
      if (SegmentFormat.crc(bytes, at + RECORD_HEADER_SIZE, length) != crc) return damaged(position, "CRC32C mismatch");
      if (seal != null) throw Corruption.at(file, position, "a record follows the segment's seal record");
      byte type = bytes[at + RECORD_HEADER_SIZE];
      if (type == SegmentFormat.TYPE_ENTRY) {
        entry(position, at, length);
      } else if (type == SegmentFormat.TYPE_SEAL && mode != Mode.OPEN) {
        seal(position, at, length);
      } else {
        throw Corruption.at(file, position, "unexpected record type " + Byte.toUnsignedInt(type));
      }
      position += RECORD_HEADER_SIZE + length;
    }
    if (mode == Mode.CLOSED && seal == null)
      throw Corruption.at(file, size, "a closed segment must end with a seal record, and this one does not"
          + " (the file was cut short, or a later segment belongs to another log)");
    return finish(position, null);
  }

  /**
   * Where the run of zero bytes the file ends with begins ({@code size} when its last byte is not zero). A record
   * never starts with four zero bytes (its length is at least 1), so from there on there is no data: it is the
   * unused space of a segment made from a {@link SpareSegment}. Found once, from the end, when first needed.
   */
  private long trailingZerosStart() throws IOException {
    if (trailingZerosStart >= 0) return trailingZerosStart;
    long p = size;
    while (p > 0) {
      int n = (int) Math.min(FileWindow.BLOCK_BYTES, p);
      int at = window.at(p - n, n);
      byte[] bytes = window.bytes();
      int i = n - 1;
      while (i >= 0 && bytes[at + i] == 0) i--;
      if (i >= 0) {
        p = p - n + i + 1;
        break;
      }
      p -= n;
    }
    trailingZerosStart = p;
    return p;
  }

  private void entry(long position, int at, int length) throws IOException {
    long index = firstIndex + count;
    if (index >= collectFrom) {
      Entry entry = decode(position, at, length, index);
      lastCollected = entry.logId();
      sink.entry(entry, position);
    }
    if (positions != null) positions.add(position);
    lastEntryOffset = position;
    count++;
  }

  private Entry decode(long position, int at, int length, long expectedIndex) throws CorruptDataException {
    return SegmentFormat.decodeEntry(file, position, window.bytes(), at, length, expectedIndex, serializer);
  }

  private void seal(long position, int at, int length) throws CorruptDataException {
    if (length != SegmentFormat.SEAL_BODY_SIZE)
      throw Corruption.at(file, position, "seal record has " + length + " bytes instead of "
          + SegmentFormat.SEAL_BODY_SIZE);
    LogId sealed;
    try {
      sealed = SegmentFormat.sealedLogId(window.bytes(), at + RECORD_HEADER_SIZE);
    } catch (IllegalArgumentException e) {
      throw Corruption.at(file, position, "seal record names an impossible entry id (" + e.getMessage() + ")");
    }
    if (count == 0 || sealed.index() != firstIndex + count - 1)
      throw Corruption.at(file, position, "seal record names entry " + sealed + " but the segment's last entry"
          + " has index " + (firstIndex + count - 1));
    seal = sealed;
  }

  private Result finish(long validEnd, TornTail torn) throws IOException {
    LogId last = null;
    if (count > 0) {
      boolean lastWasCollected = firstIndex + count - 1 >= collectFrom;
      if (seal != null) {
        last = seal;
      } else if (lastWasCollected) {
        last = lastCollected;
      } else {
        int length = window.intAt(lastEntryOffset);
        int at = window.at(lastEntryOffset, RECORD_HEADER_SIZE + length);
        last = decode(lastEntryOffset, at, length, firstIndex + count - 1).logId();
      }
      if (lastWasCollected && !lastCollected.equals(last))
        throw Corruption.at(file, lastEntryOffset, "the last entry is " + lastCollected + " but the segment's"
            + " seal record names " + last);
    }
    return new Result(validEnd, last, seal != null, torn);
  }

  /** A file shorter than its header is a crash while the segment was being created, unless the bytes are not ours. */
  private Result shortFile() throws IOException {
    int at = window.at(0, (int) size);
    byte[] bytes = Arrays.copyOfRange(window.bytes(), at, at + (int) size);
    byte[] expected = Arrays.copyOf(SegmentFormat.header(firstIndex), (int) size);
    if (mode != Mode.RECOVER || !Arrays.equals(bytes, expected))
      throw Corruption.at(file, 0, "the file has " + size + " bytes and is not the start of a segment of this log"
          + " (segments begin with a " + HEADER_SIZE + "-byte header)");
    return new Result(0, null, false, new TornTail(0, "incomplete segment header (" + size + " bytes)"));
  }

  /**
   * A bad record is a torn tail only if nothing valid follows it: a crash interrupts the last write only, while a
   * bad record followed by a valid one means bytes in the middle changed (a flipped length can make a middle record
   * look like it runs past the end, so "the file ends inside it" alone proves nothing).
   */
  private Result damaged(long position, String problem) throws IOException {
    if (mode != Mode.RECOVER) throw Corruption.at(file, position, problem);
    long next = validRecordAfter(position);
    if (next >= 0)
      throw Corruption.at(file, position, problem + ", yet a valid record follows at byte offset " + next
          + ", so this is damage and not an interrupted write");
    return finish(position, new TornTail(position, problem));
  }

  /** The offset of the first checksum-valid record starting after {@code position}, or -1. */
  private long validRecordAfter(long position) throws IOException {
    long end = trailingZerosStart();
    for (long candidate = position + 1; candidate + RECORD_HEADER_SIZE + 1 <= end; candidate++) {
      int at = window.at(candidate, RECORD_HEADER_SIZE + 1);
      byte[] bytes = window.bytes();
      int length = ByteBuffer.wrap(bytes, at, 4).getInt();
      if (!SegmentFormat.plausible(length, bytes[at + RECORD_HEADER_SIZE])) continue;
      if (length > size - candidate - RECORD_HEADER_SIZE) continue;
      int crc = ByteBuffer.wrap(bytes, at + 4, 4).getInt();
      at = window.at(candidate, RECORD_HEADER_SIZE + length);
      if (SegmentFormat.crc(window.bytes(), at + RECORD_HEADER_SIZE, length) == crc) return candidate;
    }
    return -1;
  }
}
