package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.SegmentFormat.MAX_BODY;
import static io.raftnode.internal.storage.SegmentFormat.RECORD_HEADER_SIZE;

import io.raftnode.internal.model.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads runs of entries out of segment files for {@link SegmentedLogStore#read}, on the reader's thread: each file
 * through a channel of its own, positioned by the segment's {@link Positions}, one block at a time, every record's
 * checksum, decoding and index checked. It sees the segments as they were when the read began ({@link Target}); the
 * store tells whether the log changed meanwhile.
 */
final class SegmentReads {
  private SegmentReads() {}

  /**
   * One segment as a read sees it: entries {@code firstIndex..lastIndex} in the first {@code limit} bytes of the
   * file. {@code closed} is set for a sealed segment, which may still have to be indexed ({@code positions} null).
   */
  record Target(Path file, long firstIndex, long lastIndex, long limit, Positions positions, ClosedSegment closed) {}

  /**
   * Entries from {@code from} on, across segments, at most {@code maxEntries} and at most {@code maxBytes} of
   * encoded entries (at least one when the first is there). Stops early where the targets end.
   */
  static List<Entry> read(List<Target> targets, long from, int maxEntries, long maxBytes,
      RecordSerializer<Entry> serializer) throws IOException {
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    long next = from;
    for (Target t : targets) {
      if (next > t.lastIndex()) continue;
      if (next < t.firstIndex()) break;
      try (FileChannel channel = FileChannel.open(t.file(), StandardOpenOption.READ)) {
        Positions positions = t.positions() != null ? t.positions() : index(t, channel, serializer);
        long limit = Math.min(t.limit(), channel.size());
        FileWindow window = new FileWindow(channel, limit);
        long position = positions.get(Math.toIntExact(next - t.firstIndex()));
        while (next <= t.lastIndex() && out.size() < maxEntries) {
          if (position + RECORD_HEADER_SIZE > limit) return out;
          int at = window.at(position, RECORD_HEADER_SIZE);
          ByteBuffer header = ByteBuffer.wrap(window.bytes(), at, RECORD_HEADER_SIZE);
          int length = header.getInt();
          int crc = header.getInt();
          if (length <= 1 || length > MAX_BODY)
            throw Corruption.at(t.file(), position, "impossible record length " + Integer.toUnsignedString(length));
          if (position + RECORD_HEADER_SIZE + length > limit) return out;
          if (!out.isEmpty() && bytes + length - 1 > maxBytes) return out;
          at = window.at(position, RECORD_HEADER_SIZE + length);
          byte[] b = window.bytes();
          if (SegmentFormat.crc(b, at + RECORD_HEADER_SIZE, length) != crc)
            throw Corruption.at(t.file(), position, "CRC32C mismatch");
          if (b[at + RECORD_HEADER_SIZE] != SegmentFormat.TYPE_ENTRY)
            throw Corruption.at(t.file(), position, "record type " + b[at + RECORD_HEADER_SIZE] + " where entry "
                + next + " should be");
          out.add(SegmentFormat.decodeEntry(t.file(), position, b, at, length, next, serializer));
          bytes += length - 1;
          next++;
          position += RECORD_HEADER_SIZE + length;
        }
      }
      if (out.size() >= maxEntries) break;
    }
    return out;
  }

  /** Indexes a sealed segment that was not indexed yet, checking every record; the segment keeps the index. */
  private static Positions index(Target t, FileChannel channel, RecordSerializer<Entry> serializer) throws IOException {
    Positions positions = new Positions();
    SegmentScan.scan(t.file(), channel, channel.size(), t.firstIndex(), SegmentScan.Mode.CLOSED, Long.MAX_VALUE,
        SegmentScan.Sink.NONE, positions, serializer);
    t.closed().indexed(positions);
    return positions;
  }
}
