package io.raftnode.storage;

import static io.raftnode.storage.LogFormat.MAX_BODY;
import static io.raftnode.storage.LogFormat.RECORD_HEADER_SIZE;

import io.raftnode.model.Entry;
import io.raftnode.model.LogId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The Raft log as one append-only file, {@code log.dat}: every append writes its records in a single write and
 * fsyncs once. Truncations are records too, so the file only grows; rewriting it is left to log compaction.
 * Opening the store replays the file, cutting off a torn tail (with a warning) and refusing corrupt data.
 */
public final class FileLogStore implements LogStore {
  private static final Logger LOG = Logger.getLogger(FileLogStore.class.getName());

  private final Path file;
  private final FileChannel channel;
  private final RecordSerializer<Entry> serializer;
  /** Byte offset where the next record goes: the end of the valid data. */
  private long end;
  private long lastIndex;
  /** The last purged index (0: nothing purged). */
  private long base;
  /** The entries replayed at open, handed to the first loadAll so startup reads the file only once. */
  private List<Entry> replayed;
  /** Set when a write or fsync failed: the file's tail is then unknown, and only a restart's recovery can tell. */
  private IOException failure;

  private FileLogStore(Path file, FileChannel channel, RecordSerializer<Entry> serializer) {
    this.file = file;
    this.channel = channel;
    this.serializer = serializer;
  }

  /** Opens (creating if needed) {@code dir/log.dat}, encoding entries with RaftCodec. */
  public static FileLogStore open(Path dir) throws IOException {
    return open(dir, RecordSerializer.raftCodecEntries());
  }

  static FileLogStore open(Path dir, RecordSerializer<Entry> serializer) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(LogFormat.FILE_NAME);
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLogStore store = new FileLogStore(file, channel, serializer);
    try {
      store.recover();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return store;
  }

  private void recover() throws IOException {
    LogReplay.Result result = LogReplay.run(file, channel, serializer);
    if (result.torn() != null) {
      LOG.warning(
          file + ": discarding incomplete data at byte offset " + result.torn().offset() + " ("
              + result.torn().problem() + "), left by a crash during a write; truncating the file to "
              + result.torn().offset() + " bytes");
      channel.truncate(result.torn().offset());
      channel.force(true);
    }
    end = result.validEnd();
    if (end == 0) writeFileHeader();
    replayed = result.entries();
    base = result.base();
    lastIndex = base + replayed.size();
  }

  private void writeFileHeader() throws IOException {
    ByteBuffer header = ByteBuffer.wrap(LogFormat.fileHeader());
    while (header.hasRemaining()) channel.write(header, header.position());
    channel.force(true);
    Directories.fsync(file.getParent());
    end = header.capacity();
  }

  /**
   * The whole log. The first call after open returns what open replayed; later calls read the file again, so the
   * store does not keep a second copy of the log in memory.
   */
  @Override
  public synchronized List<Entry> loadAll() throws IOException {
    ensureUsable();
    if (replayed != null) {
      List<Entry> entries = replayed;
      replayed = null;
      return entries;
    }
    LogReplay.Result result = LogReplay.run(file, channel, serializer);
    if (result.torn() != null || result.validEnd() != end)
      throw Corruption.at(
          file, result.validEnd(), "the file changed under the running node (expected " + end + " valid bytes)");
    return result.entries();
  }

  @Override
  public synchronized void append(long truncateFrom, List<Entry> entries) throws IOException {
    ensureUsable();
    AppendValidation.check(lastIndex, truncateFrom, entries);
    if (truncateFrom > 0 && truncateFrom <= base)
      throw new IllegalArgumentException("truncateFrom " + truncateFrom + " reaches into the purged prefix (up to " + base + ")");
    boolean truncates = truncateFrom > 0 && truncateFrom <= lastIndex;
    if (!truncates && entries.isEmpty()) return;
    ByteBuffer batch = encode(truncates ? truncateFrom : 0, entries);
    try {
      while (batch.hasRemaining()) channel.write(batch, end + batch.position());
      channel.force(false);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    end += batch.capacity();
    lastIndex = AppendValidation.lastIndexAfter(lastIndex, truncateFrom, entries);
    replayed = null;
  }

  /**
   * Records that every entry up to {@code upTo} is covered by a snapshot, and fsyncs. The entries' bytes stay in
   * the file (this single-file format cannot drop a prefix); replay skips them.
   */
  @Override
  public synchronized void purgeUpTo(LogId upTo) throws IOException {
    ensureUsable();
    if (upTo.index() <= base) return;
    byte[] body = ByteBuffer.allocate(LogFormat.TRUNCATE_BODY_SIZE).put(LogFormat.TYPE_PURGE).putLong(upTo.index()).array();
    ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER_SIZE + body.length);
    record.putInt(body.length).putInt(LogFormat.crc(body, 0, body.length)).put(body).flip();
    try {
      while (record.hasRemaining()) channel.write(record, end + record.position());
      channel.force(false);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    end += record.capacity();
    base = upTo.index();
    lastIndex = Math.max(lastIndex, base);
    replayed = null;
  }

  /** One buffer holding the optional truncate record and one record per entry. */
  private ByteBuffer encode(long truncateFrom, List<Entry> entries) {
    List<byte[]> bodies = new ArrayList<>(entries.size() + 1);
    if (truncateFrom > 0) {
      ByteBuffer truncate = ByteBuffer.allocate(LogFormat.TRUNCATE_BODY_SIZE);
      bodies.add(truncate.put(LogFormat.TYPE_TRUNCATE).putLong(truncateFrom).array());
    }
    for (Entry entry : entries) {
      byte[] encoded = serializer.encode(entry);
      if (encoded.length + 1 > MAX_BODY)
        throw new IllegalArgumentException(
            "entry " + entry.logId() + " encodes to " + encoded.length + " bytes; a log record holds at most "
                + (MAX_BODY - 1));
      byte[] body = new byte[encoded.length + 1];
      body[0] = LogFormat.TYPE_ENTRY;
      System.arraycopy(encoded, 0, body, 1, encoded.length);
      bodies.add(body);
    }
    long total = 0;
    for (byte[] body : bodies) total += RECORD_HEADER_SIZE + body.length;
    if (total > Integer.MAX_VALUE - 16)
      throw new IllegalArgumentException("an append of " + total + " bytes is too large for one write; split it");
    ByteBuffer batch = ByteBuffer.allocate((int) total);
    for (byte[] body : bodies) batch.putInt(body.length).putInt(LogFormat.crc(body, 0, body.length)).put(body);
    return batch.flip();
  }

  private void ensureUsable() throws IOException {
    if (failure != null)
      throw new IOException(
          file + " is unusable after a failed write; restart the node so recovery can check the file's tail",
          failure);
  }

  /** The path of log.dat. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
