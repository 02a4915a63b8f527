package io.raftnode.storage;

import static io.raftnode.storage.SegmentFormat.HEADER_SIZE;
import static io.raftnode.storage.SegmentFormat.MAX_BODY;
import static io.raftnode.storage.SegmentFormat.RECORD_HEADER_SIZE;

import io.raftnode.codec.CodecException;
import io.raftnode.model.Entry;
import io.raftnode.model.LogId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one segment file and checks every record in it. In {@link Mode#RECOVER} (the last segment, at open) it
 * tells a crash mid-write (an incomplete or unverifiable last record, safe to cut off: its write was never
 * acknowledged) from damage; in the other modes any problem is damage, a CorruptDataException.
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

  /** The collected entries, where valid data ends, the last entry's id, the seal, and a torn tail (RECOVER only). */
  record Result(List<Entry> entries, long validEnd, LogId lastLogId, boolean sealed, TornTail torn) {}

  record TornTail(long offset, String problem) {}

  private final Path file;
  private final long firstIndex;
  private final Mode mode;
  private final long collectFrom;
  private final Positions positions;
  private final RecordSerializer<Entry> serializer;
  private final List<Entry> entries = new ArrayList<>();
  private byte[] bytes;
  private int size;
  private long count;
  private int lastEntryOffset = -1;
  private LogId seal;

  private SegmentScan(Path file, long firstIndex, Mode mode, long collectFrom, Positions positions,
      RecordSerializer<Entry> serializer) {
    this.file = file;
    this.firstIndex = firstIndex;
    this.mode = mode;
    this.collectFrom = collectFrom;
    this.positions = positions;
    this.serializer = serializer;
  }

  /**
   * Scans the first {@code limit} bytes of the segment starting at {@code firstIndex}, decoding and returning the
   * entries with index >= {@code collectFrom}, and recording every entry's offset in {@code positions} (if given).
   */
  static Result scan(Path file, FileChannel channel, long limit, long firstIndex, Mode mode, long collectFrom,
      Positions positions, RecordSerializer<Entry> serializer) throws IOException {
    if (limit > Integer.MAX_VALUE - 8) throw Corruption.at(file, 0, "the segment is larger than 2 GiB (" + limit + ")");
    SegmentScan scan = new SegmentScan(file, firstIndex, mode, collectFrom, positions, serializer);
    scan.size = (int) limit;
    scan.bytes = SegmentFormat.readFully(channel, 0, scan.size).array();
    return scan.run();
  }

  private Result run() throws IOException {
    if (size < HEADER_SIZE) return shortFile();
    SegmentFormat.checkHeader(file, bytes, firstIndex);
    int position = HEADER_SIZE;
    while (position < size) {
      int remaining = size - position;
      if (remaining < RECORD_HEADER_SIZE)
        return damaged(position, "incomplete record header (" + remaining + " of " + RECORD_HEADER_SIZE + " bytes)");
      ByteBuffer header = ByteBuffer.wrap(bytes, position, RECORD_HEADER_SIZE);
      int length = header.getInt();
      int crc = header.getInt();
      if (length <= 0 || length > MAX_BODY)
        return damaged(position, "impossible record length " + Integer.toUnsignedString(length));
      if (length > remaining - RECORD_HEADER_SIZE)
        return damaged(position,
            "record body cut short (" + (remaining - RECORD_HEADER_SIZE) + " of " + length + " bytes present)");
      if (SegmentFormat.crc(bytes, position + RECORD_HEADER_SIZE, length) != crc)
        return damaged(position, "CRC32C mismatch");
      if (seal != null) throw Corruption.at(file, position, "a record follows the segment's seal record");
      byte type = bytes[position + RECORD_HEADER_SIZE];
      if (type == SegmentFormat.TYPE_ENTRY) {
        entry(position, length);
      } else if (type == SegmentFormat.TYPE_SEAL && mode != Mode.OPEN) {
        seal(position, length);
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

  private void entry(int position, int length) throws CorruptDataException {
    long index = firstIndex + count;
    if (index >= collectFrom) entries.add(decode(position, length, index));
    if (positions != null) positions.add(position);
    lastEntryOffset = position;
    count++;
  }

  private Entry decode(int position, int length, long expectedIndex) throws CorruptDataException {
    Entry entry;
    try {
      int body = position + RECORD_HEADER_SIZE + 1;
      entry = serializer.decode(Arrays.copyOfRange(bytes, body, body + length - 1));
    } catch (CodecException e) {
      throw Corruption.at(file, position, "entry record does not decode (" + e.getMessage() + ")");
    }
    if (entry.index() != expectedIndex)
      throw Corruption.at(file, position,
          "entry " + entry.logId() + " has index " + entry.index() + " but the log needs index " + expectedIndex);
    return entry;
  }

  private void seal(int position, int length) throws CorruptDataException {
    if (length != SegmentFormat.SEAL_BODY_SIZE)
      throw Corruption.at(file, position, "seal record has " + length + " bytes instead of "
          + SegmentFormat.SEAL_BODY_SIZE);
    LogId sealed;
    try {
      sealed = SegmentFormat.sealedLogId(bytes, position + RECORD_HEADER_SIZE);
    } catch (IllegalArgumentException e) {
      throw Corruption.at(file, position, "seal record names an impossible entry id (" + e.getMessage() + ")");
    }
    if (count == 0 || sealed.index() != firstIndex + count - 1)
      throw Corruption.at(file, position, "seal record names entry " + sealed + " but the segment's last entry"
          + " has index " + (firstIndex + count - 1));
    seal = sealed;
  }

  private Result finish(int validEnd, TornTail torn) throws CorruptDataException {
    LogId last = null;
    if (count > 0) {
      Entry collected = entries.isEmpty() ? null : entries.get(entries.size() - 1);
      if (seal != null) {
        last = seal;
      } else if (collected != null) {
        last = collected.logId();
      } else {
        int length = ByteBuffer.wrap(bytes, lastEntryOffset, 4).getInt();
        last = decode(lastEntryOffset, length, firstIndex + count - 1).logId();
      }
      if (collected != null && !collected.logId().equals(last))
        throw Corruption.at(file, lastEntryOffset, "the last entry is " + collected.logId() + " but the segment's"
            + " seal record names " + last);
    }
    return new Result(entries, validEnd, last, seal != null, torn);
  }

  /** A file shorter than its header is a crash while the segment was being created, unless the bytes are not ours. */
  private Result shortFile() throws CorruptDataException {
    byte[] expected = Arrays.copyOf(SegmentFormat.header(firstIndex), size);
    if (mode != Mode.RECOVER || !Arrays.equals(bytes, expected))
      throw Corruption.at(file, 0, "the file has " + size + " bytes and is not the start of a segment of this log"
          + " (segments begin with a " + HEADER_SIZE + "-byte header)");
    return new Result(entries, 0, null, false, new TornTail(0, "incomplete segment header (" + size + " bytes)"));
  }

  /**
   * A bad record is a torn tail only if nothing valid follows it: a crash interrupts the last write only, while a
   * bad record followed by a valid one means bytes in the middle changed (a flipped length can make a middle record
   * look like it runs past the end, so "the file ends inside it" alone proves nothing).
   */
  private Result damaged(int position, String problem) throws CorruptDataException {
    if (mode != Mode.RECOVER) throw Corruption.at(file, position, problem);
    int next = validRecordAfter(position);
    if (next >= 0)
      throw Corruption.at(file, position, problem + ", yet a valid record follows at byte offset " + next
          + ", so this is damage and not an interrupted write");
    return finish(position, new TornTail(position, problem));
  }

  /** The offset of the first checksum-valid record starting after {@code position}, or -1. */
  private int validRecordAfter(int position) {
    for (int candidate = position + 1; candidate + RECORD_HEADER_SIZE + 1 <= size; candidate++) {
      int length = ByteBuffer.wrap(bytes, candidate, 4).getInt();
      if (!SegmentFormat.plausible(length, bytes[candidate + RECORD_HEADER_SIZE])) continue;
      if (length > size - candidate - RECORD_HEADER_SIZE) continue;
      int crc = ByteBuffer.wrap(bytes, candidate + 4, 4).getInt();
      if (SegmentFormat.crc(bytes, candidate + RECORD_HEADER_SIZE, length) == crc) return candidate;
    }
    return -1;
  }
}
