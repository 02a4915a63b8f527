package io.raftnode.node;

import io.raftnode.model.Entry;
import io.raftnode.model.LogId;
import io.raftnode.model.Vote;
import io.raftnode.storage.LogStore;
import io.raftnode.storage.SnapshotStore;
import io.raftnode.storage.StoredSnapshot;
import io.raftnode.storage.VoteStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the node's disk writes on one dedicated thread, in the order they were submitted, and reports each
 * completion back on the node's event loop. The event loop never waits for the disk: it registers what must happen
 * after the writes submitted so far ({@link #afterPendingWrites}) and carries on.
 */
final class StorageWorker {
  private final Context context;
  private final LogStore logStore;
  private final VoteStore voteStore;
  private final ExecutorService thread;
  private Future<Void> lastWrite = Future.succeededFuture();

  StorageWorker(Context context, LogStore logStore, VoteStore voteStore, String name) {
    this.context = context;
    this.logStore = logStore;
    this.voteStore = voteStore;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  Future<Void> saveVote(Vote vote) {
    return submit(() -> voteStore.save(vote));
  }

  Future<Void> append(long truncateFrom, List<Entry> entries) {
    return submit(() -> logStore.append(truncateFrom, entries));
  }

  /** Drops the log prefix up to {@code upTo} (a snapshot covers it), in order with the other writes. */
  Future<Void> purge(LogId upTo) {
    return submit(() -> logStore.purgeUpTo(upTo));
  }

  /**
   * Installs a received snapshot, in order with the other writes: first the snapshot file becomes the store's
   * newest (so a crash never leaves the log cut without the snapshot that replaces it), then the log drops what
   * the snapshot covers ({@code truncateFrom} > 0: everything from that index on as well).
   */
  Future<StoredSnapshot> installSnapshot(SnapshotStore store, SnapshotStore.Writer received, long truncateFrom) {
    AtomicReference<StoredSnapshot> installed = new AtomicReference<>();
    LogId last = received.meta().lastLogId();
    return submit(() -> {
      installed.set(store.install(received));
      if (truncateFrom > 0) logStore.append(truncateFrom, List.of());
      logStore.purgeUpTo(last);
    }).map(v -> installed.get());
  }

  /** Runs {@code action} on the event loop once every write submitted so far is durable (never if one failed). */
  void afterPendingWrites(Runnable action) {
    if (lastWrite.succeeded()) {
      action.run();
    } else {
      lastWrite.onSuccess(v -> action.run());
    }
  }

  /** Stops taking writes; the ones already queued finish first. */
  void close() {
    thread.shutdown();
  }

  private interface DiskWrite {
    void run() throws Exception;
  }

  private Future<Void> submit(DiskWrite write) {
    Promise<Void> done = Promise.promise();
    try {
      thread.execute(() -> {
        try {
          write.run();
          context.runOnContext(v -> done.complete());
        } catch (Throwable e) {
          context.runOnContext(v -> done.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      done.fail(new IllegalStateException("storage is closed", e));
    }
    lastWrite = done.future();
    return lastWrite;
  }
}
