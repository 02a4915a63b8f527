package io.raftnode.internal.storage;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.Vote;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A node's data directory: holds an exclusive lock on {@code LOCK} for as long as it is open, because two nodes
 * writing one log would corrupt it, and opens the log and vote stores inside it. The LOCK file is never deleted:
 * deleting it would let a second process lock a fresh file while the first still holds the old one.
 */
public final class DataDir implements AutoCloseable {
  static final String LOCK_NAME = "LOCK";

  private final Path path;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final SegmentedLogStore logStore;
  private final FileVoteStore voteStore;

  private DataDir(Path path, FileChannel lockChannel, FileLock lock, SegmentedLogStore logStore, FileVoteStore voteStore) {
    this.path = path;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.logStore = logStore;
    this.voteStore = voteStore;
  }

  /**
   * Creates {@code dir} if needed, locks it and opens the stores (replaying and recovering the log). Throws
   * IOException when another process holds the dir, CorruptDataException when its data cannot be trusted.
   */
  public static DataDir open(Path dir) throws IOException {
    return open(dir, SegmentedLogStore.DEFAULT_SEGMENT_SIZE);
  }

  /** {@link #open(Path)} with segments of {@code segmentSize} bytes instead of the default 64 MiB. */
  public static DataDir open(Path dir, long segmentSize) throws IOException {
    return open(dir, RecordSerializer.raftCodecEntries(), RecordSerializer.raftCodecVotes(), segmentSize);
  }

  static DataDir open(Path dir, RecordSerializer<Entry> entries, RecordSerializer<Vote> votes, long segmentSize)
      throws IOException {
    Files.createDirectories(dir);
    Path lockFile = dir.resolve(LOCK_NAME);
    FileChannel lockChannel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileLock lock = tryLock(lockChannel);
      if (lock == null)
        throw new IOException(
            "data dir " + dir + " is in use by another process" + holder(lockFile)
                + "; stop that node first, or give this one its own data dir");
      recordHolder(lockChannel);
      refuseSingleFileLog(dir);
      SegmentedLogStore logStore =
          SegmentedLogStore.open(dir.resolve(SegmentFormat.DIR_NAME), entries, segmentSize);
      try {
        return new DataDir(dir, lockChannel, lock, logStore, FileVoteStore.open(dir, votes));
      } catch (IOException | RuntimeException e) {
        logStore.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
  }

  /**
   * Development builds kept the log in one file, {@code log.dat}. Opening such a dir would silently start from an
   * empty log next to the old vote, so it is refused instead.
   */
  private static void refuseSingleFileLog(Path dir) throws CorruptDataException {
    Path old = dir.resolve("log.dat");
    if (Files.exists(old))
      throw new CorruptDataException(old + " holds a log in the single-file format of earlier development builds,"
          + " which this build does not read (it keeps the log in " + dir.resolve(SegmentFormat.DIR_NAME) + "/). "
          + Corruption.ADVICE);
  }

  /** The JVM reports a lock held by this same process as an exception rather than null; both mean "in use". */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldInThisProcess) {
      return null;
    }
  }

  /** Writes this process's pid into LOCK so that the error seen by a second process can name the holder. */
  private static void recordHolder(FileChannel channel) throws IOException {
    ByteBuffer pid = ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
    channel.truncate(0);
    while (pid.hasRemaining()) channel.write(pid, pid.position());
  }

  private static String holder(Path lockFile) {
    try {
      String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
      return pid.isEmpty() ? "" : " (pid " + pid + ", according to " + lockFile + ")";
    } catch (IOException e) {
      return "";
    }
  }

  public Path path() {
    return path;
  }

  public LogStore logStore() {
    return logStore;
  }

  public VoteStore voteStore() {
    return voteStore;
  }

  /** Closes the log and releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      logStore.close();
    } finally {
      try {
        lock.release();
      } finally {
        lockChannel.close();
      }
    }
  }
}
