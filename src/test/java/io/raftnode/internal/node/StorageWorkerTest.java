package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.LogOutline;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.storage.InMemoryLogStore;
import io.raftnode.internal.storage.LogStore;
import io.raftnode.internal.storage.VoteStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StorageWorkerTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final List<String> trace = new CopyOnWriteArrayList<>();
  /** Holds the I/O thread inside the first write until released, so later submissions pile up into one batch. */
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch entered = new CountDownLatch(1);
  private volatile IOException failNextWrite;
  private final TracingLog log = new TracingLog();
  private final VoteStore votes = new VoteStore() {
    @Override
    public Vote load() {
      return Vote.INITIAL;
    }

    @Override
    public void save(Vote vote) {
      trace.add("vote " + vote.term());
    }
  };
  private StorageWorker worker;

  @AfterEach
  void close() throws Exception {
    release.countDown();
    onLoop(() -> {
      worker.close();
      return null;
    });
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private <T> T onLoop(Supplier<T> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> result.complete(work.get()));
    return result.get(10, TimeUnit.SECONDS);
  }

  private static Entry entry(long index) {
    return new Entry(LogId.of(1, 1, index), new EntryPayload.Normal(new byte[] {(byte) index}));
  }

  private static void await(Future<?> future) throws Exception {
    future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void writesQueuedWhileTheDiskIsBusyShareOneFsyncAndCompleteInOrder() throws Exception {
    worker = new StorageWorker(context, log, votes, "test-io");
    List<Integer> completed = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> afterAll = new CompletableFuture<>();
    onLoop(() -> worker.append(0, List.of(entry(1))).onSuccess(v -> completed.add(1)));
    assertTrue(entered.await(10, TimeUnit.SECONDS));
    Future<Void> lastAppend = onLoop(() -> {
      Future<Void> last = null;
      for (int i = 2; i <= 20; i++) {
        int n = i;
        last = worker.append(0, List.of(entry(i)));
        last.onSuccess(v -> completed.add(n));
      }
      worker.afterPendingWrites(() -> afterAll.complete(null));
      return last;
    });
    assertTrue(trace.isEmpty(), trace.toString());
    release.countDown();
    await(lastAppend);
    afterAll.get(10, TimeUnit.SECONDS);
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= 20; i++) expected.add(i);
    assertEquals(expected, completed, "completions come back in submission order");
    assertEquals(2, trace.stream().filter(s -> s.equals("sync")).count(), "the first write alone, then the rest: " + trace);
    StorageWorker.Stats stats = worker.stats();
    assertEquals(2, stats.logSyncs());
    assertEquals(20, stats.entries());
    assertEquals(10.0, stats.entriesPerSync());
  }

  @Test
  void aVoteSaveWaitsForTheLogWritesQueuedBeforeItToBeDurable() throws Exception {
    worker = new StorageWorker(context, log, votes, "test-io");
    onLoop(() -> worker.append(0, List.of(entry(1))));
    assertTrue(entered.await(10, TimeUnit.SECONDS));
    Future<Void> last = onLoop(() -> {
      worker.append(0, List.of(entry(2)));
      worker.saveVote(Vote.of(5, 1, false));
      return worker.append(0, List.of(entry(3)));
    });
    release.countDown();
    await(last);
    assertEquals(List.of("write 1", "sync", "write 2", "sync", "vote 5", "write 3", "sync"), trace);
  }

  @Test
  void aFailedWriteFailsItsBatchAndEverythingAfterIt() throws Exception {
    release.countDown();
    worker = new StorageWorker(context, log, votes, "test-io");
    await(onLoop(() -> worker.append(0, List.of(entry(1)))));
    failNextWrite = new IOException("disk full");
    Future<Void> failed = onLoop(() -> worker.append(0, List.of(entry(2))));
    assertTrue(failed.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS)
        .getMessage().contains("disk full"));
    CompletableFuture<Boolean> ranAfter = new CompletableFuture<>();
    Future<Void> later = onLoop(() -> {
      Future<Void> vote = worker.saveVote(Vote.of(2, 1, false));
      worker.afterPendingWrites(() -> ranAfter.complete(true));
      return vote;
    });
    Throwable laterFailure = later.toCompletionStage().toCompletableFuture().handle((v, e) -> e)
        .get(10, TimeUnit.SECONDS);
    assertTrue(laterFailure.getMessage().contains("disk full"), laterFailure.toString());
    assertTrue(!trace.contains("vote 2"), "nothing is written after a failure: " + trace);
    assertTrue(!ranAfter.isDone());
  }

  /** An in-memory log that records its calls and can hold or fail a write. */
  private final class TracingLog implements LogStore {
    private final InMemoryLogStore delegate = new InMemoryLogStore();
    private boolean first = true;

    @Override
    public void write(long truncateFrom, List<Entry> entries) throws IOException {
      if (first) {
        first = false;
        entered.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      IOException failure = failNextWrite;
      if (failure != null) throw failure;
      delegate.write(truncateFrom, entries);
      trace.add("write " + entries.get(0).index());
    }

    @Override
    public void sync() {
      trace.add("sync");
    }

    @Override
    public LogOutline outline(long fromIndex) {
      return delegate.outline(fromIndex);
    }

    @Override
    public List<Entry> read(long from, int maxEntries, long maxBytes) {
      return delegate.read(from, maxEntries, maxBytes);
    }

    @Override
    public long firstIndex() {
      return delegate.firstIndex();
    }

    @Override
    public LogId purgedLogId() {
      return delegate.purgedLogId();
    }

    @Override
    public LogId lastLogId() {
      return delegate.lastLogId();
    }

    @Override
    public void purgeUpTo(LogId upTo) {
      delegate.purgeUpTo(upTo);
    }

    @Override
    public void close() {}
  }
}
