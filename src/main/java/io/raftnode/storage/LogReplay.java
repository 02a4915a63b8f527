package io.raftnode.storage;

import static io.raftnode.storage.LogFormat.FILE_HEADER_SIZE;
import static io.raftnode.storage.LogFormat.MAGIC;
import static io.raftnode.storage.LogFormat.MAX_BODY;
import static io.raftnode.storage.LogFormat.RECORD_HEADER_SIZE;

import io.raftnode.codec.CodecException;
import io.raftnode.model.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Reads log.dat from the start and rebuilds the log, telling a crash mid-write (an incomplete or unverifiable last
 * record, safe to cut off: its append never returned) apart from damage (anything else, which would lose
 * acknowledged entries if cut off, so it is a CorruptDataException).
 */
final class LogReplay {
  /** How much of the file the search for a following record reads at a time. */
  private static final int SCAN_WINDOW = 1024 * 1024;

  /**
   * The log (entries after the purge point {@code base}, 0 when nothing was purged), where valid data ends, and
   * the torn tail found there (null when the file ended cleanly).
   */
  record Result(List<Entry> entries, long base, long validEnd, TornTail torn) {}

  record TornTail(long offset, String problem) {}

  private final Path file;
  private final FileChannel channel;
  private final RecordSerializer<Entry> serializer;
  private final long size;
  private final ArrayList<Entry> entries = new ArrayList<>();
  private long base;

  private LogReplay(Path file, FileChannel channel, RecordSerializer<Entry> serializer) throws IOException {
    this.file = file;
    this.channel = channel;
    this.serializer = serializer;
    this.size = channel.size();
  }

  static Result run(Path file, FileChannel channel, RecordSerializer<Entry> serializer) throws IOException {
    return new LogReplay(file, channel, serializer).replay();
  }

  private Result replay() throws IOException {
    if (size == 0) return new Result(List.of(), 0, 0, null);
    if (size < FILE_HEADER_SIZE) return incompleteFileHeader();
    checkFileHeader();
    long position = FILE_HEADER_SIZE;
    while (position < size) {
      long remaining = size - position;
      if (remaining < RECORD_HEADER_SIZE)
        return damaged(position, "incomplete record header (" + remaining + " of " + RECORD_HEADER_SIZE + " bytes)");
      ByteBuffer header = LogFormat.readFully(channel, position, RECORD_HEADER_SIZE);
      int length = header.getInt();
      int crc = header.getInt();
      if (length <= 0 || length > MAX_BODY)
        return damaged(position, "impossible record length " + Integer.toUnsignedString(length));
      if (length > remaining - RECORD_HEADER_SIZE)
        return damaged(
            position,
            "record body cut short (" + (remaining - RECORD_HEADER_SIZE) + " of " + length + " bytes present)");
      byte[] body = LogFormat.readFully(channel, position + RECORD_HEADER_SIZE, length).array();
      if (LogFormat.crc(body, 0, length) != crc) return damaged(position, "CRC32C mismatch");
      apply(position, body);
      position += RECORD_HEADER_SIZE + length;
    }
    return new Result(Collections.unmodifiableList(entries), base, position, null);
  }

  /** A file shorter than its header is a crash while the log was being created, unless the bytes are not ours. */
  private Result incompleteFileHeader() throws IOException {
    byte[] present = LogFormat.readFully(channel, 0, (int) size).array();
    byte[] expected = Arrays.copyOf(LogFormat.fileHeader(), (int) size);
    if (!Arrays.equals(present, expected))
      throw Corruption.at(file, 0, "not a raftnode log file (bad magic)");
    return new Result(List.of(), 0, 0, new TornTail(0, "incomplete file header (" + size + " bytes)"));
  }

  private void checkFileHeader() throws IOException {
    byte[] header = LogFormat.readFully(channel, 0, FILE_HEADER_SIZE).array();
    if (!Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length))
      throw Corruption.at(file, 0, "not a raftnode log file (bad magic)");
    byte version = header[MAGIC.length];
    if (version != LogFormat.VERSION)
      throw Corruption.at(
          file,
          MAGIC.length,
          "unknown log format version " + Byte.toUnsignedInt(version) + " (this build reads version "
              + LogFormat.VERSION + ")");
  }

  private void apply(long position, byte[] body) throws CorruptDataException {
    long lastIndex = base + entries.size();
    switch (body[0]) {
      case LogFormat.TYPE_ENTRY -> {
        Entry entry;
        try {
          entry = serializer.decode(Arrays.copyOfRange(body, 1, body.length));
        } catch (CodecException e) {
          throw Corruption.at(file, position, "entry record does not decode (" + e.getMessage() + ")");
        }
        if (entry.index() != lastIndex + 1)
          throw Corruption.at(
              file,
              position,
              "entry " + entry.logId() + " has index " + entry.index() + " but the log needs index "
                  + (lastIndex + 1) + " next");
        entries.add(entry);
      }
      case LogFormat.TYPE_TRUNCATE -> {
        if (body.length != LogFormat.TRUNCATE_BODY_SIZE)
          throw Corruption.at(file, position, "truncate record has " + body.length + " bytes instead of 9");
        long from = ByteBuffer.wrap(body, 1, 8).getLong();
        if (from <= base || from > lastIndex + 1)
          throw Corruption.at(
              file, position, "truncate from index " + from + " outside the log (last index " + lastIndex + ")");
        entries.subList((int) (from - 1 - base), entries.size()).clear();
      }
      case LogFormat.TYPE_PURGE -> {
        if (body.length != LogFormat.TRUNCATE_BODY_SIZE)
          throw Corruption.at(file, position, "purge record has " + body.length + " bytes instead of 9");
        long upTo = ByteBuffer.wrap(body, 1, 8).getLong();
        if (upTo < base) throw Corruption.at(file, position, "purge up to " + upTo + " is below the earlier " + base);
        entries.subList(0, (int) Math.min(entries.size(), upTo - base)).clear();
        base = upTo;
      }
      default -> throw Corruption.at(file, position, "unknown record type " + Byte.toUnsignedInt(body[0]));
    }
  }

  /**
   * A bad record is a torn tail only if nothing valid follows it: a crash interrupts the last append only, while a
   * bad record followed by a valid one means bytes in the middle changed (a flipped length can make a middle record
   * look like it runs past the end, so "the file ends inside it" alone proves nothing).
   */
  private Result damaged(long position, String problem) throws IOException {
    long next = validRecordAfter(position);
    if (next >= 0)
      throw Corruption.at(
          file,
          position,
          problem + ", yet a valid record follows at byte offset " + next + ", so this is damage and not an"
              + " interrupted write");
    return new Result(Collections.unmodifiableList(entries), base, position, new TornTail(position, problem));
  }

  /** The offset of the first checksum-valid record starting after {@code position}, or -1. */
  private long validRecordAfter(long position) throws IOException {
    int lookahead = RECORD_HEADER_SIZE + 1;
    for (long windowStart = position + 1; windowStart + lookahead <= size; windowStart += SCAN_WINDOW) {
      int windowLength = (int) Math.min(SCAN_WINDOW + lookahead - 1, size - windowStart);
      ByteBuffer window = LogFormat.readFully(channel, windowStart, windowLength);
      for (int i = 0; i + lookahead <= windowLength && i < SCAN_WINDOW; i++) {
        long candidate = windowStart + i;
        int length = window.getInt(i);
        if (!LogFormat.plausible(length, window.get(i + RECORD_HEADER_SIZE))) continue;
        if (length > size - candidate - RECORD_HEADER_SIZE) continue;
        byte[] body = LogFormat.readFully(channel, candidate + RECORD_HEADER_SIZE, length).array();
        if (LogFormat.crc(body, 0, length) == window.getInt(i + 4)) return candidate;
      }
    }
    return -1;
  }
}
