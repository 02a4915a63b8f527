package io.raftnode.internal.node;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.storage.LogStore;
import io.raftnode.internal.storage.SnapshotStore;
import io.raftnode.internal.storage.StoredSnapshot;
import io.raftnode.internal.storage.VoteStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Runs the node's disk writes on one dedicated thread with group commit: the thread takes everything queued since
 * its last fsync, writes it in submission order, fsyncs the log once for the batch and completes the batch's futures
 * in order on the node's event loop (one hop per batch). So completion of a write implies every write submitted
 * before it is durable. The event loop never waits for the disk: it registers what must happen after the writes
 * submitted so far ({@link #lastWrite}) and carries on.
 */
public final class StorageWorker {
  private static final long CLOSE_WAIT_MS = 10_000;

  /** Counters since start, for benchmarks: LogStore.sync() calls (one per batch with log writes), entries, batches. */
  record Stats(long logSyncs, long entries, long batches) {
    double entriesPerSync() {
      return logSyncs == 0 ? 0 : (double) entries / logSyncs;
    }
  }

  private interface DiskWrite {
    void run() throws Exception;
  }

  /**
   * One queued write; {@code entries} < 0 marks a vote save, a purge or a snapshot install, which must not overtake
   * earlier log writes.
   */
  private record Op(DiskWrite write, int entries, Promise<Void> done) {
    boolean isVote() {
      return entries < 0;
    }
  }

  private static final Op STOP = new Op(() -> {}, 0, null);

  private final Context context;
  private final LogStore logStore;
  private final VoteStore voteStore;
  private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final AtomicLong logSyncs = new AtomicLong();
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private volatile boolean closed;
  private final LogReader reader;
  /** The first failure: every later write fails too, so no completion can claim durability it does not have. */
  private Throwable failure;
  private Future<Void> lastWrite = Future.succeededFuture();
  private final LongConsumer syncTimes;

  public StorageWorker(Context context, LogStore logStore, VoteStore voteStore, String name) {
    this(context, logStore, voteStore, name, nanos -> {});
  }

  /** @param syncTimes gets the duration of every log fsync, in nanoseconds, on the storage thread */
  public StorageWorker(Context context, LogStore logStore, VoteStore voteStore, String name, LongConsumer syncTimes) {
    this.syncTimes = syncTimes;
    this.context = context;
    this.logStore = logStore;
    this.voteStore = voteStore;
    this.reader = new LogReader(context, logStore, name + "-read");
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Reads log entries on the reader thread, beside the writes (see {@link LogReader}). */
  Future<List<Entry>> read(long from, int maxEntries, long maxBytes) {
    return reader.read(from, maxEntries, maxBytes);
  }

  Future<Void> saveVote(Vote vote) {
    return submit(() -> voteStore.save(vote), -1);
  }

  /** Queues a log write; it completes once it, and everything queued before it, is durable. */
  Future<Void> append(long truncateFrom, List<Entry> entries) {
    return submit(() -> logStore.write(truncateFrom, entries), entries.size());
  }

  /**
   * Drops the log prefix up to {@code upTo} (a snapshot covers it), in order with the other writes. Queued like a
   * vote: the log writes before it are synced first.
   */
  Future<Void> purge(LogId upTo) {
    return submit(() -> logStore.purgeUpTo(upTo), -1);
  }

  /**
   * Installs a received snapshot, in order with the other writes (the log writes before it are synced first):
   * first the snapshot file becomes the store's newest, so a crash never leaves the log cut without the snapshot
   * that replaces it; then the log drops what the snapshot covers ({@code truncateFrom} > 0: everything from that
   * index on as well, since the log does not hold the snapshot's last id).
   */
  Future<StoredSnapshot> installSnapshot(SnapshotStore store, SnapshotStore.Writer received, long truncateFrom) {
    AtomicReference<StoredSnapshot> installed = new AtomicReference<>();
    LogId last = received.meta().lastLogId();
    return submit(() -> {
      installed.set(store.install(received));
      if (truncateFrom > 0) logStore.append(truncateFrom, List.of());
      logStore.purgeUpTo(last);
    }, -1).map(v -> installed.get());
  }

  /** Completes once every write submitted so far is durable; fails if one failed. */
  Future<Void> lastWrite() {
    return lastWrite;
  }

  /** Runs {@code action} on the event loop once every write submitted so far is durable (never if one failed). */
  void afterPendingWrites(Runnable action) {
    if (lastWrite.succeeded()) {
      action.run();
    } else {
      lastWrite.onSuccess(v -> action.run());
    }
  }

  Stats stats() {
    return new Stats(logSyncs.get(), entries.get(), batches.get());
  }

  /** Stops taking writes; the ones already queued finish first (waits up to 10 s for them). */
  public void close() {
    if (closed) return;
    closed = true;
    reader.close();
    queue.add(STOP);
    try {
      thread.join(CLOSE_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Future<Void> submit(DiskWrite write, int entryCount) {
    Promise<Void> done = Promise.promise();
    if (closed) {
      done.fail(new IllegalStateException("storage is closed"));
    } else {
      queue.add(new Op(write, entryCount, done));
    }
    lastWrite = done.future();
    return lastWrite;
  }

  private void run() {
    List<Op> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch);
      int stop = batch.indexOf(STOP);
      if (stop >= 0) {
        stopping = true;
        failRest(batch.subList(stop + 1, batch.size()));
        batch.subList(stop, batch.size()).clear();
      }
      if (!batch.isEmpty()) writeBatch(List.copyOf(batch));
      batch.clear();
    }
  }

  /** Writes every op in order and fsyncs the log once; a vote first syncs the log writes queued before it. */
  private void writeBatch(List<Op> ops) {
    batches.incrementAndGet();
    boolean logDirty = false;
    try {
      if (failure != null) throw failure;
      for (Op op : ops) {
        if (op.isVote() && logDirty) {
          syncLog();
          logDirty = false;
        }
        op.write().run();
        if (!op.isVote()) {
          logDirty = true;
          entries.addAndGet(op.entries());
        }
      }
      if (logDirty) syncLog();
    } catch (Throwable e) {
      if (failure == null) failure = e;
    }
    Throwable outcome = failure;
    context.runOnContext(v -> {
      for (Op op : ops) {
        if (outcome == null) op.done().complete();
        else op.done().fail(outcome);
      }
    });
  }

  private void syncLog() throws Exception {
    long start = System.nanoTime();
    logStore.sync();
    syncTimes.accept(System.nanoTime() - start);
    logSyncs.incrementAndGet();
  }

  private void failRest(List<Op> ops) {
    if (ops.isEmpty()) return;
    List<Op> rejected = List.copyOf(ops);
    context.runOnContext(v -> rejected.forEach(op -> op.done().fail(new IllegalStateException("storage is closed"))));
  }
}
