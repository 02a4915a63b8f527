package io.raftnode.internal.node;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.storage.LogStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reads log entries that the core no longer holds in memory, on a thread of its own: the reader that
 * {@link LogStore}'s thread-safety contract allows beside the writer (the storage worker), so a follower far
 * behind, or applying after a restart, is fed from disk without holding up the event loop or group commit.
 * Reads run one at a time, in the order asked; each completes on the event loop.
 */
final class LogReader {
  private final Context context;
  private final LogStore logStore;
  private final ExecutorService thread;

  LogReader(Context context, LogStore logStore, String name) {
    this.context = context;
    this.logStore = logStore;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** See {@link LogStore#read}; fails when the store does (a damaged record) or the reader is closed. */
  Future<List<Entry>> read(long from, int maxEntries, long maxBytes) {
    Promise<List<Entry>> done = Promise.promise();
    try {
      thread.execute(() -> {
        try {
          List<Entry> entries = logStore.read(from, maxEntries, maxBytes);
          context.runOnContext(v -> done.complete(entries));
        } catch (Throwable e) {
          context.runOnContext(v -> done.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      done.fail(new IllegalStateException("the log reader is closed"));
    }
    return done.future();
  }

  /** Stops taking reads; one under way finishes on its own (its result is then dropped with the node). */
  void close() {
    thread.shutdown();
  }
}
