package io.raftnode.internal.storage;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.LogOutline;
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
 * cuts the file; a prefix purge deletes whole segments. Opening reads only the last segment. One writer thread
 * calls the writing methods (and {@link #outline}); one reader thread may call {@link #read} meanwhile.
 */
public final class SegmentedLogStore implements LogStore {
  /** The default segment size: large enough that rolls are rare, small enough that a purge frees space promptly. */
  public static final long DEFAULT_SEGMENT_SIZE = 64L * 1024 * 1024;
  static final long MAX_SEGMENT_SIZE = 1024L * 1024 * 1024;

  private final Path dir;
  private final RecordSerializer<Entry> serializer;
  private final long segmentSize;
  /** The sealed segments; changed only under {@link #view}, by the writer. */
  private final List<ClosedSegment> closed;
  /** The segment appended to; replaced only under {@link #view}, by the writer. */
  private OpenSegment open;
  /** The file the next segment is made from once the open one is half full; see {@link SpareSegment}. */
  private final SpareSegment spare;
  /** The syncs that made the open segment's appends durable, to tell how many bytes each sync carries. */
  private long syncsInSegment;
  /**
   * What readers synchronize on with the writer: the set of segments, and {@link #generation}, which counts the
   * truncations and purges begun. Never held during file I/O.
   */
  private final Object view = new Object();
  private long generation;
  private volatile LogMeta meta;
  private boolean dirty;
  /** Set when a write or fsync failed: the files' tails are then unknown, and only a restart's recovery can tell. */
  private volatile IOException failure;

  private SegmentedLogStore(Path dir, RecordSerializer<Entry> serializer, long segmentSize,
      SegmentedLogRecovery.Recovered recovered) throws IOException {
    this.dir = dir;
    try {
      this.spare = new SpareSegment(dir, segmentSize);
    } catch (IOException e) {
      recovered.open().close();
      throw e;
    }
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

  /**
   * Scans every segment holding entries from {@code fromIndex} on, checking each record; closed segments keep the
   * offsets found, so later reads need not scan them again.
   */
  @Override
  public synchronized LogOutline outline(long fromIndex) throws IOException {
    ensureUsable();
    long from = Math.max(fromIndex, firstIndex());
    LogOutline.Builder outline = new LogOutline.Builder();
    SegmentScan.Sink sink = (entry, offset) -> outline.add(entry);
    for (ClosedSegment segment : closed) {
      if (segment.lastIndex() < from) continue;
      try (FileChannel channel = FileChannel.open(segment.file(), StandardOpenOption.READ)) {
        Positions positions = new Positions();
        SegmentScan.scan(segment.file(), channel, channel.size(), segment.firstIndex(), SegmentScan.Mode.CLOSED, from,
            sink, positions, serializer);
        if (segment.positions() == null) segment.indexed(positions);
      }
    }
    if (open.entryCount() > 0 && open.lastIndex() >= from) {
      SegmentScan.scan(open.file(), open.channel(), open.end(), open.firstIndex(), SegmentScan.Mode.OPEN, from, sink,
          null, serializer);
    }
    return outline.build();
  }

  /**
   * Safe to call on one reader thread while the writer works: it looks up where to read under a lock the writer
   * takes only to change the set of segments (never for file I/O or fsync), reads the files through channels of its
   * own, and gives up (returns nothing) when a truncation or purge started meanwhile, since the bytes it read may
   * then belong to entries that are gone.
   */
  @Override
  public List<Entry> read(long from, int maxEntries, long maxBytes) throws IOException {
    if (maxEntries < 1 || maxBytes < 1) throw new IllegalArgumentException("a read must allow at least one entry");
    long started;
    List<SegmentReads.Target> targets;
    synchronized (view) {
      ensureUsable();
      started = generation;
      if (started % 2 != 0) return List.of(); // a truncation or purge is under way
      targets = targetsFrom(from);
    }
    try {
      List<Entry> entries = SegmentReads.read(targets, from, maxEntries, maxBytes, serializer);
      return changedSince(started) ? List.of() : entries;
    } catch (IOException | RuntimeException e) {
      if (changedSince(started)) return List.of(); // a file went away or was cut under the read: not damage
      throw e;
    }
  }

  private boolean changedSince(long started) {
    synchronized (view) {
      return generation != started;
    }
  }

  /** The segments a read from {@code from} may touch, as they are now; called under {@link #view}. */
  private List<SegmentReads.Target> targetsFrom(long from) {
    List<SegmentReads.Target> targets = new ArrayList<>();
    if (from < firstIndexUnlocked()) return targets;
    for (ClosedSegment segment : closed) {
      if (segment.lastIndex() < from) continue;
      targets.add(new SegmentReads.Target(segment.file(), segment.firstIndex(), segment.lastIndex(), Long.MAX_VALUE,
          segment.positions(), segment));
    }
    long end = open.end(); // before the count: the writer records an entry's offset before writing it
    int count = open.positions().size();
    if (count > 0) {
      targets.add(new SegmentReads.Target(open.file(), open.firstIndex(), open.firstIndex() + count - 1, end,
          open.positions(), null));
    }
    return targets;
  }

  /**
   * Called by the writer before it truncates or purges, and again when done ({@link #changed}): the generation is
   * odd meanwhile, so a read that begins then gives up at once, and one that began earlier discards what it read.
   */
  private void changing() {
    synchronized (view) {
      generation++;
    }
  }

  private void changed() {
    synchronized (view) {
      generation++;
    }
  }

  @Override
  public synchronized long firstIndex() {
    return firstIndexUnlocked();
  }

  private long firstIndexUnlocked() {
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
    if (open.end() > segmentSize / 2 && spare.pays(open.end(), syncsInSegment)) spare.prepare();
  }

  /**
   * Starts the next segment. The full one is made durable first and sealed only once the new one exists durably,
   * so a sealed segment is never the last one: if it is at open, a segment file was lost.
   */
  private void roll() throws IOException {
    open.force();
    Path ready = spare.take();
    OpenSegment next = ready == null ? OpenSegment.create(dir, lastIndex() + 1, serializer)
        : OpenSegment.fromSpare(dir, ready, lastIndex() + 1, serializer);
    open.seal();
    syncsInSegment = 0;
    synchronized (view) {
      closed.add(new ClosedSegment(open.file(), open.firstIndex(), open.lastLogId(), open.positions()));
      open = next;
    }
    dirty = false;
  }

  /**
   * Removes the entries from {@code from} on. Within the open segment that is a cut of its file. Reaching into an
   * earlier segment, the start is first recorded in the meta file (so a crash part-way is finished at open), then
   * later segments are deleted, newest first, and the segment holding {@code from} is cut and becomes the open one.
   */
  private void truncateSuffix(long from) throws IOException {
    changing();
    try {
      cutSuffix(from);
    } finally {
      changed();
    }
  }

  private void cutSuffix(long from) throws IOException {
    if (from < open.firstIndex()) {
      meta = meta.withTruncating(from);
      meta.write(dir);
      open.delete();
      while (closed.get(closed.size() - 1).firstIndex() > from) {
        ClosedSegment dropped;
        synchronized (view) {
          dropped = closed.remove(closed.size() - 1);
        }
        Files.delete(dropped.file());
      }
      Directories.fsync(dir);
      ClosedSegment cut;
      synchronized (view) {
        cut = closed.remove(closed.size() - 1);
      }
      OpenSegment reopened = reopen(cut);
      synchronized (view) {
        open = reopened;
      }
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
          SegmentScan.Mode.CLOSED, Long.MAX_VALUE, SegmentScan.Sink.NONE, positions, serializer);
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
    syncsInSegment++;
  }

  @Override
  public synchronized void purgeUpTo(LogId upTo) throws IOException {
    ensureUsable();
    long index = upTo.index();
    if (index <= LogId.indexOf(meta.purged())) return;
    changing();
    try {
      meta = meta.withPurged(upTo);
      meta.write(dir);
      while (!closed.isEmpty() && closed.get(0).lastIndex() <= index) {
        ClosedSegment dropped;
        synchronized (view) {
          dropped = closed.remove(0);
        }
        Files.delete(dropped.file());
      }
      if (closed.isEmpty() && open.firstIndex() <= index && open.lastIndex() <= index) {
        open.delete();
        dirty = false;
        OpenSegment fresh = OpenSegment.create(dir, index + 1, serializer);
        synchronized (view) {
          open = fresh;
        }
      }
    } catch (IOException e) {
      failure = e;
      throw e;
    } finally {
      changed();
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

  /** True while a spare is being filled (tests). */
  synchronized boolean sparePending() {
    return spare.filling();
  }

  /** True when a filled spare waits for the next roll (tests). */
  synchronized boolean spareReady() {
    return spare.ready();
  }

  @Override
  public synchronized void close() throws IOException {
    spare.close();
    open.close();
  }
}
