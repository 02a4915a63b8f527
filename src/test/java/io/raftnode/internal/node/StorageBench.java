package io.raftnode.internal.node;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.storage.SegmentedLogStore;
import io.raftnode.internal.storage.VoteStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Storage figures for docs/BENCHMARKS.md, run by scripts/storage-bench.sh (not part of the test suite):
 * the disk's raw fsync rate, group commit through {@link StorageWorker}, and the time to reopen a 1 GiB log.
 *
 * <p>Usage: {@code StorageBench DIR [SECONDS] [REOPEN_GIB]}; DIR is wiped and used as scratch space.
 */
public final class StorageBench {
  private static final int ENTRY_BYTES = 128;
  private static final int[] APPENDERS = {1, 4, 16, 64, 256};

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: StorageBench DIR [SECONDS per run, default 10] [GiB for the reopen test, default 1]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    double gib = args.length > 2 ? Double.parseDouble(args[2]) : 1;
    wipe(dir);
    Files.createDirectories(dir);
    rawFsync(dir.resolve("fsync.dat"), seconds);
    Vertx vertx = Vertx.vertx();
    try {
      for (int appenders : APPENDERS) groupCommit(vertx, dir.resolve("group-" + appenders), appenders, seconds);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    reopen(dir.resolve("reopen"), (long) (gib * 1024 * 1024 * 1024));
    wipe(dir);
  }

  /** A loop of 4 KiB write + fdatasync at the end of a growing file: the most fsyncs per second the disk gives. */
  private static void rawFsync(Path file, int seconds) throws IOException {
    ByteBuffer block = ByteBuffer.allocate(4096);
    long count = 0;
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      while (System.nanoTime() < deadline) {
        block.clear();
        while (block.hasRemaining()) channel.write(block);
        channel.force(false);
        count++;
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf("raw fsync: %d x (4 KiB write + force(false)) in %.1f s = %.0f fsyncs/s (%.2f ms each)%n",
        count, elapsed, count / elapsed, elapsed * 1000 / count);
  }

  /**
   * {@code appenders} writers, each with one append of one 128-byte entry outstanding at a time (as a leader with
   * that many concurrent client writes would issue), through StorageWorker into a SegmentedLogStore.
   */
  private static void groupCommit(Vertx vertx, Path dir, int appenders, int seconds) throws Exception {
    try (SegmentedLogStore log = SegmentedLogStore.open(dir, SegmentedLogStore.DEFAULT_SEGMENT_SIZE)) {
      Context context = vertx.getOrCreateContext();
      StorageWorker worker = new StorageWorker(context, log, new NoVotes(), "bench-io");
      byte[] payload = new byte[ENTRY_BYTES];
      long[] nextIndex = {1};
      long[] completed = {0};
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      CompletableFuture<Long> done = new CompletableFuture<>();
      int[] running = {appenders};
      long start = System.nanoTime();
      Runnable[] appendOne = new Runnable[1];
      appendOne[0] = () -> {
        if (System.nanoTime() >= deadline) {
          if (--running[0] == 0) done.complete(System.nanoTime());
          return;
        }
        Entry entry = new Entry(LogId.of(1, 1, nextIndex[0]++), new EntryPayload.Normal(payload));
        worker.append(0, List.of(entry)).onComplete((v, e) -> {
          if (e != null) {
            done.completeExceptionally(e);
            return;
          }
          completed[0]++;
          appendOne[0].run();
        });
      };
      context.runOnContext(v -> {
        for (int i = 0; i < appenders; i++) appendOne[0].run();
      });
      long end = done.get(seconds + 60L, TimeUnit.SECONDS);
      worker.close();
      double elapsed = (end - start) / 1e9;
      StorageWorker.Stats stats = worker.stats();
      System.out.printf("group commit, %3d appenders: %8.0f entries/s, %6.0f fsyncs/s, %6.1f entries per fsync"
              + " (%d entries of %d B payload in %.1f s)%n", appenders, completed[0] / elapsed,
          stats.logSyncs() / elapsed, stats.entriesPerSync(), completed[0], ENTRY_BYTES, elapsed);
    }
  }

  /**
   * Writes a log of {@code bytes} (1 KiB entries in 64 MiB segments), then times open() and the loads, first with
   * the files in the page cache, then with them evicted.
   */
  private static void reopen(Path dir, long bytes) throws IOException {
    int entryBytes = 1024;
    byte[] payload = new byte[entryBytes];
    Arrays.fill(payload, (byte) 'x');
    long total = bytes / (entryBytes + 40);
    try (SegmentedLogStore log = SegmentedLogStore.open(dir, SegmentedLogStore.DEFAULT_SEGMENT_SIZE)) {
      List<Entry> batch = new ArrayList<>();
      for (long i = 1; i <= total; i++) {
        batch.add(new Entry(LogId.of(1, 1, i), new EntryPayload.Normal(payload)));
        if (batch.size() == 4096 || i == total) {
          log.write(0, batch);
          batch.clear();
        }
      }
      log.sync();
    }
    long onDisk;
    long segments;
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> list = files.toList();
      segments = list.stream().filter(p -> p.toString().endsWith(".seg")).count();
      onDisk = 0;
      for (Path p : list) onDisk += Files.size(p);
    }
    System.out.printf("reopen: log of %d entries (%d B payload), %.2f GiB in %d segments%n",
        total, entryBytes, onDisk / (1024.0 * 1024 * 1024), segments);
    for (boolean cold : new boolean[] {false, true}) {
      if (cold && !dropCache(dir)) {
        System.out.println("reopen: cold-cache runs skipped (needs GNU dd with iflag=nocache)");
        break;
      }
      String cache = cold ? "cold" : "warm";
      List<Double> open = new ArrayList<>();
      List<Double> openAndTail = new ArrayList<>();
      for (int run = 0; run < 5; run++) {
        if (cold) dropCache(dir);
        long t0 = System.nanoTime();
        try (SegmentedLogStore log = SegmentedLogStore.open(dir, SegmentedLogStore.DEFAULT_SEGMENT_SIZE)) {
          long t1 = System.nanoTime();
          log.loadFrom(LogId.indexOf(log.lastLogId()) - 999);
          long t2 = System.nanoTime();
          open.add(Math.round((t1 - t0) / 1e5) / 10.0);
          openAndTail.add(Math.round((t2 - t0) / 1e5) / 10.0);
        }
      }
      System.out.printf("reopen (%s): open() median %.1f ms of %s%n", cache, median(open), open);
      System.out.printf("reopen (%s): open() + loadFrom(the last 1000 entries) median %.1f ms of %s%n", cache,
          median(openAndTail), openAndTail);
      if (cold) dropCache(dir);
      long t0 = System.nanoTime();
      int loaded;
      try (SegmentedLogStore log = SegmentedLogStore.open(dir, SegmentedLogStore.DEFAULT_SEGMENT_SIZE)) {
        loaded = log.loadFrom(1).entries().size();
      }
      System.out.printf("reopen (%s): open() + loadFrom(1), all %d entries: %.0f ms (once)%n", cache, loaded,
          (System.nanoTime() - t0) / 1e6);
    }
  }

  /** Evicts the log's files from the page cache (fadvise DONTNEED through dd), so open() reads the disk. */
  private static boolean dropCache(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Process dd = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none")
            .redirectErrorStream(true).start();
        if (dd.waitFor() != 0) return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (IOException noDd) {
      return false;
    }
    return true;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static void wipe(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  private static final class NoVotes implements VoteStore {
    @Override
    public Vote load() {
      return Vote.INITIAL;
    }

    @Override
    public void save(Vote vote) {}
  }
}
