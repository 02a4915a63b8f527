package io.raftnode.internal.storage;

import static io.raftnode.internal.storage.SegmentFormat.HEADER_SIZE;
import static io.raftnode.internal.storage.SegmentFormat.RECORD_HEADER_SIZE;
import static io.raftnode.internal.storage.SegmentFormat.SEAL_RECORD_SIZE;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Opens the segments of a log directory. Closed segments are checked by their header and seal record only (a few
 * bytes each), so opening costs a read of the last segment, not of the whole log; their records are checked when
 * they are scanned or read. Repairs what a crash can leave (a torn tail of the last segment, a segment being created, a purge
 * or a roll cut short) and refuses everything else with a CorruptDataException.
 */
final class SegmentedLogRecovery {
  private static final Logger LOG = Logger.getLogger(SegmentedLogStore.class.getName());

  /** What open found: the closed segments in index order, the segment to append to, and the log's meta data. */
  record Recovered(List<ClosedSegment> closed, OpenSegment open, LogMeta meta) {}

  /** The last segment, indexed, and whether it ends with a seal record. */
  private record Last(OpenSegment segment, boolean sealed) {}

  private final Path dir;
  private final RecordSerializer<Entry> serializer;

  private SegmentedLogRecovery(Path dir, RecordSerializer<Entry> serializer) {
    this.dir = dir;
    this.serializer = serializer;
  }

  static Recovered run(Path dir, RecordSerializer<Entry> serializer) throws IOException {
    Files.createDirectories(dir);
    return new SegmentedLogRecovery(dir, serializer).recover();
  }

  private Recovered recover() throws IOException {
    LogMeta meta = LogMeta.read(dir);
    long purgedIndex = LogId.indexOf(meta.purged());
    long truncating = meta.truncating();
    List<Long> firsts = new ArrayList<>(segments().keySet());
    if (truncating > 0) dropSegmentsAfter(firsts, truncating);
    // Segments whose entries all precede the purge point: a purge deletes them after writing the meta file, and a
    // crash in between leaves them behind.
    while (firsts.size() >= 2 && firsts.get(1) - 1 <= purgedIndex) Files.delete(file(firsts.remove(0)));
    if (firsts.isEmpty()) return fresh(meta);
    long first = firsts.get(0);
    if (first > purgedIndex + 1)
      throw Corruption.at(file(first), 0, "the log's first segment starts at index " + first + ", but "
          + (meta.purged() == null ? "no purge was ever recorded (" + dir.resolve(LogMeta.FILE_NAME) + " is absent)"
              : dir.resolve(LogMeta.FILE_NAME) + " says only entries up to " + purgedIndex + " were purged")
          + ": the segment holding index " + (purgedIndex + 1) + " is missing");
    Last last = recoverLast(firsts.get(firsts.size() - 1));
    if (last.segment().entryCount() == 0 && firsts.size() >= 2 && !hasSeal(firsts.get(firsts.size() - 2))) {
      // A crash during a roll: the new segment exists but the full one was not sealed yet. Append to the full one.
      last.segment().delete();
      firsts.remove(firsts.size() - 1);
      Directories.fsync(dir);
      last = recoverLast(firsts.get(firsts.size() - 1));
    }
    try {
      return settle(meta, firsts, last);
    } catch (IOException | RuntimeException e) {
      last.segment().close();
      throw e;
    }
  }

  /** Finishes a truncation or a purge the crash cut short, refuses a lost last segment, and checks the others. */
  private Recovered settle(LogMeta meta, List<Long> firsts, Last last) throws IOException {
    long purgedIndex = LogId.indexOf(meta.purged());
    long truncating = meta.truncating();
    OpenSegment open = last.segment();
    boolean sealed = last.sealed();
    if (truncating > 0 && open.entryCount() > 0 && open.lastIndex() >= truncating) {
      open.truncate(truncating);
      open.force();
      sealed = false;
    }
    if (open.entryCount() == 0 ? open.firstIndex() <= purgedIndex : open.lastIndex() <= purgedIndex) {
      // Every entry was purged (the purge went past the end of the log) and the crash came before the new segment.
      open.delete();
      return fresh(meta);
    }
    if (sealed)
      throw Corruption.at(open.file(), open.end() - SEAL_RECORD_SIZE, "the last segment is sealed, so another"
          + " segment was created after it, but none follows it: the segment starting at index "
          + (open.lastIndex() + 1) + " is missing");
    List<ClosedSegment> closed = readClosed(firsts);
    if (truncating > 0) {
      meta = meta.withTruncating(0);
      meta.write(dir);
    }
    return new Recovered(closed, open, meta);
  }

  /** Finishes a suffix truncation cut short by a crash: deletes the segments after the one holding {@code from}. */
  private void dropSegmentsAfter(List<Long> firsts, long from) throws IOException {
    boolean deleted = false;
    while (firsts.size() >= 2 && firsts.get(firsts.size() - 1) > from) {
      Files.delete(file(firsts.remove(firsts.size() - 1)));
      deleted = true;
    }
    if (deleted) Directories.fsync(dir);
  }

  private Recovered fresh(LogMeta meta) throws IOException {
    if (meta.truncating() > 0) {
      meta = meta.withTruncating(0);
      meta.write(dir);
    }
    OpenSegment open = OpenSegment.create(dir, LogId.indexOf(meta.purged()) + 1, serializer);
    return new Recovered(new ArrayList<>(), open, meta);
  }

  /** Every segment but the last, checked by header and seal, each ending right before the next one starts. */
  private List<ClosedSegment> readClosed(List<Long> firsts) throws IOException {
    List<ClosedSegment> closed = new ArrayList<>();
    for (int i = 0; i + 1 < firsts.size(); i++) {
      ClosedSegment segment = readClosed(firsts.get(i));
      long next = firsts.get(i + 1);
      if (segment.lastIndex() + 1 != next)
        throw Corruption.at(segment.file(), Files.size(segment.file()) - SEAL_RECORD_SIZE, "the segment ends at"
            + " index " + segment.lastIndex() + " but the next one, " + file(next).getFileName() + ", starts at "
            + next + (segment.lastIndex() + 1 < next ? ": a segment is missing" : ": the segments overlap"));
      closed.add(segment);
    }
    return closed;
  }

  private TreeMap<Long, Path> segments() throws IOException {
    TreeMap<Long, Path> segments = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        long first = SegmentFormat.firstIndexOf(file.getFileName().toString());
        if (first >= 1) segments.put(first, file);
      }
    }
    return segments;
  }

  private Path file(long firstIndex) {
    return dir.resolve(SegmentFormat.fileName(firstIndex));
  }

  /** A closed segment known by its header and its seal, without reading the records in between. */
  private ClosedSegment readClosed(long firstIndex) throws IOException {
    Path file = file(firstIndex);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < HEADER_SIZE + SEAL_RECORD_SIZE)
        throw Corruption.at(file, 0, "the file has " + size + " bytes, too few for a closed segment"
            + " (a header, at least one entry and a seal record)");
      SegmentFormat.checkHeader(file, SegmentFormat.readFully(channel, 0, HEADER_SIZE).array(), firstIndex);
      long sealAt = size - SEAL_RECORD_SIZE;
      byte[] seal = seal(channel);
      if (seal == null)
        throw Corruption.at(file, sealAt, "a segment followed by another must end with a seal record, and this"
            + " one does not (the file was cut short or damaged)");
      LogId last;
      try {
        last = SegmentFormat.sealedLogId(seal, RECORD_HEADER_SIZE);
      } catch (IllegalArgumentException e) {
        throw Corruption.at(file, sealAt, "seal record names an impossible entry id (" + e.getMessage() + ")");
      }
      if (last.index() < firstIndex)
        throw Corruption.at(file, sealAt, "seal record names entry " + last + ", before the segment's first index");
      return new ClosedSegment(file, firstIndex, last, null);
    }
  }

  private boolean hasSeal(long firstIndex) throws IOException {
    try (FileChannel channel = FileChannel.open(file(firstIndex), StandardOpenOption.READ)) {
      return seal(channel) != null;
    }
  }

  /** The checksum-valid seal record the file ends with, or null. */
  private static byte[] seal(FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < HEADER_SIZE + SEAL_RECORD_SIZE) return null;
    byte[] seal = SegmentFormat.readFully(channel, size - SEAL_RECORD_SIZE, SEAL_RECORD_SIZE).array();
    ByteBuffer header = ByteBuffer.wrap(seal);
    int length = header.getInt();
    int crc = header.getInt();
    boolean valid = length == SegmentFormat.SEAL_BODY_SIZE && seal[RECORD_HEADER_SIZE] == SegmentFormat.TYPE_SEAL
        && crc == SegmentFormat.crc(seal, RECORD_HEADER_SIZE, length);
    return valid ? seal : null;
  }

  /**
   * Scans the last segment, cutting off a torn tail with a warning, and indexes its entries.
   */
  private Last recoverLast(long firstIndex) throws IOException {
    Path file = file(firstIndex);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      Positions positions = new Positions();
      SegmentScan.Result result = SegmentScan.scan(file, channel, channel.size(), firstIndex,
          SegmentScan.Mode.RECOVER, Long.MAX_VALUE, SegmentScan.Sink.NONE, positions, serializer);
      long end = result.validEnd();
      if (result.torn() != null) {
        LOG.warning(file + ": discarding incomplete data at byte offset " + end + " (" + result.torn().problem()
            + "), left by a crash during a write; truncating the file to " + end + " bytes");
        channel.truncate(end);
        if (end == 0) {
          SegmentFormat.writeFully(channel, 0, ByteBuffer.wrap(SegmentFormat.header(firstIndex)));
          end = HEADER_SIZE;
        }
        channel.force(true);
        Directories.fsync(dir);
      }
      return new Last(new OpenSegment(file, firstIndex, channel, positions, end, result.lastLogId(), serializer),
          result.sealed());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }
}
