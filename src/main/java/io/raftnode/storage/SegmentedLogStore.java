package io.raftnode.storage;

import io.raftnode.model.Entry;
import io.raftnode.model.LogId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The Raft log as a directory of segment files (docs/STORAGE.md): appends go to the last segment until it would
 * outgrow the segment size, then it is sealed and a new one starts. A suffix truncation deletes later segments and
 * cuts the file; a prefix purge deletes whole segments. Opening reads only the last segment.
 */
public final class SegmentedLogStore implements LogStore {
  /** The default segment size: large enough that rolls are rare, small enough that a purge frees space promptly. */
  public static final long DEFAULT_SEGMENT_SIZE = 64L * 1024 * 1024;
  static final long MAX_SEGMENT_SIZE = 1024L * 1024 * 1024;

  private final Path dir;
  private final RecordSerializer<Entry> serializer;
  private final long segmentSize;
  private final List<ClosedSegment> closed;
  private OpenSegment open;
  private LogMeta meta;
  private boolean dirty;
  /** Set when a write or fsync failed: the files' tails are then unknown, and only a restart's recovery can tell. */
  private IOException failure;

  private SegmentedLogStore(Path dir, RecordSerializer<Entry> serializer, long segmentSize,
      SegmentedLogRecovery.Recovered recovered) {
    this.dir = dir;
    this.serializer = serializer;
    this.segmentSize = segmentSize;
    this.closed = new ArrayList<>(recovered.closed());
    this.open = recovered.open();
    this.meta = recovered.meta();
  }

  /**
   * Opens (creating if needed) the log in {@code dir} with RaftCodec-encoded entries. A segment is closed once
   * adding a record would take it past {@code segmentSize} bytes (a single larger entry gets a segment of its own).
   */
  public static SegmentedLogStore open(Path dir, long segmentSize) throws IOException {
    return open(dir, RecordSerializer.raftCodecEntries(), segmentSize);
  }

  static SegmentedLogStore open(Path dir, RecordSerializer<Entry> serializer, long segmentSize) throws IOException {
    if (segmentSize < 1024 || segmentSize > MAX_SEGMENT_SIZE)
      throw new IllegalArgumentException("segment size must be between 1 KiB and 1 GiB: " + segmentSize);
    return new SegmentedLogStore(dir, serializer, segmentSize, SegmentedLogRecovery.run(dir, serializer));
  }

  @Override
  public synchronized LogState loadFrom(long fromIndex) throws IOException {
    ensureUsable();
    long from = Math.max(fromIndex, firstIndex());
    List<Entry> entries = new ArrayList<>();
    for (ClosedSegment segment : closed) {
      if (segment.lastIndex() < from) continue;
      try (FileChannel channel = FileChannel.open(segment.file(), StandardOpenOption.READ)) {
        SegmentScan.Result result = SegmentScan.scan(segment.file(), channel, channel.size(), segment.firstIndex(),
            SegmentScan.Mode.CLOSED, from, null, serializer);
        entries.addAll(result.entries());
      }
    }
    if (open.entryCount() > 0 && open.lastIndex() >= from) {
      SegmentScan.Result result = SegmentScan.scan(open.file(), open.channel(), open.end(), open.firstIndex(),
          SegmentScan.Mode.OPEN, from, null, serializer);
      entries.addAll(result.entries());
    }
    return new LogState(meta.purged(), lastLogId(), entries);
  }

  @Override
  public synchronized long firstIndex() {
    return LogId.indexOf(meta.purged()) + 1;
  }

  @Override
  public synchronized LogId purgedLogId() {
    return meta.purged();
  }

  @Override
  public synchronized LogId lastLogId() {
    if (open.lastLogId() != null) return open.lastLogId();
    return closed.isEmpty() ? meta.purged() : closed.get(closed.size() - 1).lastLogId();
  }

  private long lastIndex() {
    return LogId.indexOf(lastLogId());
  }

  @Override
  public synchronized void write(long truncateFrom, List<Entry> entries) throws IOException {
    ensureUsable();
    AppendValidation.check(LogId.indexOf(meta.purged()), lastIndex(), truncateFrom, entries);
    List<byte[]> payloads = encode(entries); // OpenSegment frames each as a record
    try {
      if (truncateFrom > 0 && truncateFrom <= lastIndex()) truncateSuffix(truncateFrom);
      appendRecords(payloads, entries);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  private List<byte[]> encode(List<Entry> entries) {
    List<byte[]> payloads = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      byte[] encoded = serializer.encode(entry);
      if (encoded.length + 1 > SegmentFormat.MAX_BODY)
        throw new IllegalArgumentException("entry " + entry.logId() + " encodes to " + encoded.length
            + " bytes; a log record holds at most " + (SegmentFormat.MAX_BODY - 1));
      payloads.add(encoded);
    }
    return payloads;
  }

  /** Writes the records into the open segment, rolling to a new one whenever the next record would not fit. */
  private void appendRecords(List<byte[]> payloads, List<Entry> entries) throws IOException {
    List<byte[]> batch = new ArrayList<>();
    long batchBytes = 0;
    for (int i = 0; i < payloads.size(); i++) {
      byte[] record = payloads.get(i);
      boolean nonEmpty = open.entryCount() > 0 || !batch.isEmpty();
      int recordSize = SegmentFormat.recordSize(record.length);
      if (nonEmpty && open.end() + batchBytes + recordSize + SegmentFormat.SEAL_RECORD_SIZE > segmentSize) {
        if (!batch.isEmpty()) flush(batch, entries.get(i - 1).logId());
        batchBytes = 0;
        roll();
      }
      batch.add(record);
      batchBytes += recordSize;
    }
    if (!batch.isEmpty()) flush(batch, entries.get(entries.size() - 1).logId());
  }

  private void flush(List<byte[]> batch, LogId last) throws IOException {
    open.append(batch, last);
    batch.clear();
    dirty = true;
  }

  /**
   * Starts the next segment. The full one is made durable first and sealed only once the new one exists durably,
   * so a sealed segment is never the last one: if it is at open, a segment file was lost.
   */
  private void roll() throws IOException {
    open.force();
    OpenSegment next = OpenSegment.create(dir, lastIndex() + 1, serializer);
    open.seal();
    closed.add(new ClosedSegment(open.file(), open.firstIndex(), open.lastLogId()));
    open = next;
    dirty = false;
  }

  /**
   * Removes the entries from {@code from} on. Within the open segment that is a cut of its file. Reaching into an
   * earlier segment, the start is first recorded in the meta file (so a crash part-way is finished at open), then
   * later segments are deleted, newest first, and the segment holding {@code from} is cut and becomes the open one.
   */
  private void truncateSuffix(long from) throws IOException {
    if (from < open.firstIndex()) {
      meta = meta.withTruncating(from);
      meta.write(dir);
      open.delete();
      while (closed.get(closed.size() - 1).firstIndex() > from)
        Files.delete(closed.remove(closed.size() - 1).file());
      Directories.fsync(dir);
      open = reopen(closed.remove(closed.size() - 1));
      open.truncate(from);
      open.force();
      meta = meta.withTruncating(0);
      meta.write(dir);
    } else {
      open.truncate(from);
    }
    dirty = true;
  }

  /** Turns a closed segment back into the open one, indexing its entries. */
  private OpenSegment reopen(ClosedSegment segment) throws IOException {
    FileChannel channel = FileChannel.open(segment.file(), StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      Positions positions = new Positions();
      SegmentScan.Result result = SegmentScan.scan(segment.file(), channel, channel.size(), segment.firstIndex(),
          SegmentScan.Mode.CLOSED, Long.MAX_VALUE, positions, serializer);
      return new OpenSegment(segment.file(), segment.firstIndex(), channel, positions, result.validEnd(),
          result.lastLogId(), serializer);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public synchronized void sync() throws IOException {
    ensureUsable();
    if (!dirty) return;
    try {
      open.force();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    dirty = false;
  }

  @Override
  public synchronized void purgeUpTo(LogId upTo) throws IOException {
    ensureUsable();
    long index = upTo.index();
    if (index <= LogId.indexOf(meta.purged())) return;
    try {
      meta = meta.withPurged(upTo);
      meta.write(dir);
      while (!closed.isEmpty() && closed.get(0).lastIndex() <= index) Files.delete(closed.remove(0).file());
      if (closed.isEmpty() && open.firstIndex() <= index && open.lastIndex() <= index) {
        open.delete();
        dirty = false;
        open = OpenSegment.create(dir, index + 1, serializer);
      }
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  private void ensureUsable() throws IOException {
    if (failure != null)
      throw new IOException(dir + " is unusable after a failed write; restart the node so recovery can check the"
          + " log's tail", failure);
  }

  /** The log directory. */
  public Path dir() {
    return dir;
  }

  /** The segment files in index order, the open one last. */
  synchronized List<Path> segmentFiles() {
    List<Path> files = new ArrayList<>();
    for (ClosedSegment segment : closed) files.add(segment.file());
    files.add(open.file());
    return files;
  }

  @Override
  public synchronized void close() throws IOException {
    open.close();
  }
}
