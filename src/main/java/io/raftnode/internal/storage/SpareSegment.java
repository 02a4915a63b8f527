package io.raftnode.internal.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A file of zeros, written and made durable ahead of time on a thread of its own, that the log turns into its next
 * segment. Appending to a file whose blocks already exist lets each fdatasync flush the new bytes alone; appending
 * to a growing file also commits its new size and block allocation to the file system's journal with every sync,
 * which on ext4 roughly doubles the cost of a small group commit. The zeros are written here, off the append path,
 * so a roll costs one header write and a rename.
 *
 * <p>Writer thread only, apart from the filling, which happens on the spare's own thread and is handed over through
 * a future. A spare left behind by a crash is deleted at open.
 */
final class SpareSegment implements AutoCloseable {
  static final String FILE_NAME = "spare-segment.tmp";
  private static final Logger LOG = Logger.getLogger(SpareSegment.class.getName());
  /** Zeros are written, and synced, this many bytes at a time, so the disk is never handed one long burst. */
  private static final int PIECE_BYTES = 4 << 20;
  /**
   * Syncs that carry fewer bytes than this on average gain from a spare. Measured with three processes appending
   * and syncing on one SSD: a spare made 8 KiB syncs twice as fast, 32 KiB syncs 11 % faster (less than writing
   * the zeros costs), 128 KiB syncs no faster.
   */
  static final long WORTH_IT_BELOW_BYTES_PER_SYNC = 16 << 10;

  private final Path file;
  private final long size;
  private final ExecutorService filler;
  private Future<Path> filling;

  /** A spare of {@code size} bytes in the log directory {@code dir}; deletes one a crash left there. */
  SpareSegment(Path dir, long size) throws IOException {
    this.file = dir.resolve(FILE_NAME);
    this.size = size;
    Files.deleteIfExists(file);
    this.filler = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "raftnode-segment-spare");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Whether a spare is worth its zeros for a segment that took {@code syncs} syncs to reach {@code bytes}. A spare
   * saves each sync a fixed cost (the journal commit for the file's growth, some 100-200 us on ext4) and costs one
   * extra write of the segment's bytes: worth it while syncs are small, as under many small writes; with large
   * syncs (large values) the data dominates each sync, and the zeros would only take bandwidth the appends need.
   */
  boolean pays(long bytes, long syncs) {
    return syncs > 0 && bytes / syncs < WORTH_IT_BELOW_BYTES_PER_SYNC;
  }

  /** Starts filling a spare, unless one is ready or being filled. */
  void prepare() {
    if (filling == null) filling = filler.submit(this::fill);
  }

  /**
   * The spare file, zero-filled and durable, or null when none is ready yet or filling it failed (the log then
   * creates its next segment the plain way; the failure is logged and the next {@link #prepare} tries again).
   */
  Path take() {
    if (filling == null || !filling.isDone()) return null;
    try {
      return filling.get();
    } catch (ExecutionException e) {
      LOG.log(Level.WARNING, "could not prepare " + file + "; the next log segment grows as it is written",
          e.getCause());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      filling = null;
    }
  }

  /** True while a spare is being filled. */
  boolean filling() {
    return filling != null && !filling.isDone();
  }

  /** True when a filled spare is waiting to be taken. */
  boolean ready() {
    return filling != null && filling.isDone();
  }

  private Path fill() throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      long written = 0;
      while (written < size) {
        long pieceEnd = Math.min(size, written + PIECE_BYTES);
        while (written < pieceEnd) {
          int n = (int) Math.min(zeros.capacity(), pieceEnd - written);
          SegmentFormat.writeFully(channel, written, zeros.clear().limit(n));
          written += n;
        }
        channel.force(false);
      }
      channel.force(true);
    }
    return file;
  }

  /**
   * Stops filling and waits (briefly) for the filling thread to be gone, so nothing writes into the log directory
   * after the log is closed; a spare left on disk is deleted at the next open.
   */
  @Override
  public void close() {
    filler.shutdownNow();
    try {
      if (!filler.awaitTermination(10, TimeUnit.SECONDS)) LOG.warning("still filling " + file + " after close");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
