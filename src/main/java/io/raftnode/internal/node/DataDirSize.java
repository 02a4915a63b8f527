package io.raftnode.internal.node;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The bytes in a node's data dir (log segments, snapshots, vote), as Status reports them. Walking a directory is
 * I/O, so it runs on a worker thread; a measurement younger than {@link #FRESH_NANOS} is reused, so a burst of
 * Status calls (one per member per second from {@code top}) walks the directory once. Used on the node's event loop.
 */
public final class DataDirSize {
  private static final long FRESH_NANOS = 1_000_000_000L;

  private final Context context;
  private final Path dir;
  private boolean measured;
  private long bytes;
  private long measuredAtNanos;
  private Future<Long> measuring;

  public DataDirSize(Context context, Path dir) {
    this.context = context;
    this.dir = dir;
  }

  /** The size measured at most a second ago; completes on the node's event loop. */
  public Future<Long> current() {
    if (measuring != null) return measuring;
    if (measured && System.nanoTime() - measuredAtNanos < FRESH_NANOS) return Future.succeededFuture(bytes);
    Future<Long> walk = context.executeBlocking(() -> measure(dir), false);
    measuring = walk;
    return walk.andThen(result -> {
      measuring = null;
      if (result.succeeded()) {
        measured = true;
        bytes = result.result();
        measuredAtNanos = System.nanoTime();
      }
    });
  }

  /** Sums the regular files under {@code dir}; a file deleted meanwhile (compaction) simply no longer counts. */
  static long measure(Path dir) throws IOException {
    long[] total = {0};
    if (!Files.exists(dir)) return 0;
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) total[0] += attrs.size();
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }
}
