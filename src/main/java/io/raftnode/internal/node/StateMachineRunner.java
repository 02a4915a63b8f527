package io.raftnode.internal.node;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.storage.StoredSnapshot;
import io.raftnode.statemachine.SnapshotWriter;
import io.raftnode.statemachine.StateMachine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Feeds committed entries to the state machine in log order, exactly once each. An in-memory state machine runs on
 * the event loop; any other runs on one dedicated thread so a slow apply never stalls heartbeats.
 */
final class StateMachineRunner {
  private final StateMachine stateMachine;
  private final Context context;
  private final ExecutorService worker;
  private final Consumer<Throwable> onFailure;
  private final LongConsumer applyTimes;
  /** The last entry applied and the membership in force there: what a snapshot taken now covers. */
  private LogId lastApplied;
  private StoredMembership membership = new StoredMembership(null, Membership.empty());
  /** While a snapshot is being restored, applies wait here (event-loop state machines only; see restore). */
  private List<Runnable> heldWhileRestoring;
  private ExecutorService restoreWorker;

  StateMachineRunner(StateMachine stateMachine, Context context, String threadName, Consumer<Throwable> onFailure) {
    this(stateMachine, context, threadName, onFailure, nanos -> {});
  }

  /** @param applyTimes gets how long each batch of entries took to apply, in nanoseconds */
  StateMachineRunner(StateMachine stateMachine, Context context, String threadName, Consumer<Throwable> onFailure,
      LongConsumer applyTimes) {
    this.applyTimes = applyTimes;
    this.stateMachine = stateMachine;
    this.context = context;
    this.onFailure = onFailure;
    this.worker = stateMachine.runsOnEventLoop() ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Applies {@code entries}; {@code onApplied} gets each entry and its reply (null for non-command entries). */
  void apply(List<Entry> entries, BiConsumer<Entry, byte[]> onApplied) {
    if (heldWhileRestoring != null) {
      heldWhileRestoring.add(() -> apply(entries, onApplied));
      return;
    }
    if (worker == null) {
      applyAll(entries, onApplied);
      return;
    }
    worker.execute(() -> {
      byte[][] results = new byte[entries.size()][];
      long start = System.nanoTime();
      try {
        for (int i = 0; i < entries.size(); i++) results[i] = applyOne(entries.get(i));
        applyTimes.accept(System.nanoTime() - start);
      } catch (Throwable e) {
        context.runOnContext(v -> onFailure.accept(e));
        return;
      }
      context.runOnContext(v -> {
        for (int i = 0; i < entries.size(); i++) onApplied.accept(entries.get(i), results[i]);
      });
    });
  }

  /** Answers a read-only query from the current state, on the thread the state machine lives on. */
  Future<byte[]> query(byte[] query) {
    if (heldWhileRestoring != null) {
      return Future.failedFuture(new IllegalStateException("the node is restoring a snapshot; retry shortly"));
    }
    if (worker == null) {
      try {
        return Future.succeededFuture(stateMachine.query(query));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    Promise<byte[]> promise = Promise.promise();
    worker.execute(() -> {
      try {
        byte[] result = stateMachine.query(query);
        context.runOnContext(v -> promise.complete(result));
      } catch (Throwable e) {
        context.runOnContext(v -> promise.fail(e));
      }
    });
    return promise.future();
  }

  void close() {
    if (worker != null) worker.shutdown();
    if (restoreWorker != null) restoreWorker.shutdown();
  }

  /** What a snapshot captured: the state machine's writer and the log position and membership it covers. */
  record Capture(LogId lastApplied, StoredMembership membership, SnapshotWriter writer) {}

  /**
   * Captures the state after every apply handed in so far, on the state machine's thread; null when nothing was
   * applied since the restore or start that set the state.
   */
  Future<Capture> capture() {
    Promise<Capture> promise = Promise.promise();
    Runnable take = () -> {
      try {
        Capture c = lastApplied == null ? null : new Capture(lastApplied, membership, stateMachine.snapshot());
        complete(promise, c);
      } catch (Throwable e) {
        context.runOnContext(v -> promise.fail(e));
      }
    };
    if (heldWhileRestoring != null) heldWhileRestoring.add(take);
    else if (worker == null) take.run();
    else worker.execute(take);
    return promise.future();
  }

  /** Sets what the state covers without applying anything: a restored snapshot at startup. */
  void restoredAt(LogId last, StoredMembership restoredMembership) {
    lastApplied = last;
    membership = restoredMembership;
  }

  /**
   * Replaces the state with a snapshot. Applies handed in after this call wait until it is done; queries fail
   * meanwhile. {@code data} yields the file once it is durable; the restore runs on a worker thread, never on the
   * event loop. Must be called on the event loop.
   */
  Future<Void> restore(Future<StoredSnapshot> data) {
    if (heldWhileRestoring != null) throw new IllegalStateException("a restore is already running");
    heldWhileRestoring = new ArrayList<>();
    ExecutorService thread = worker != null ? worker : restoreThread();
    Promise<Void> restored = Promise.promise();
    data.onComplete((snapshot, err) -> {
      if (err != null) {
        restored.fail(err);
        return;
      }
      thread.execute(() -> {
        try (InputStream in = snapshot.openData()) {
          stateMachine.restore(in);
          restoredAt(snapshot.meta().lastLogId(), snapshot.meta().lastMembership());
          complete(restored, null);
        } catch (Throwable e) {
          context.runOnContext(v -> restored.fail(e));
        }
      });
    });
    return restored.future().onComplete(x -> {
      List<Runnable> held = heldWhileRestoring;
      heldWhileRestoring = null;
      if (x.failed()) onFailure.accept(x.cause());
      else held.forEach(Runnable::run);
    });
  }

  boolean restoring() {
    return heldWhileRestoring != null;
  }

  private ExecutorService restoreThread() {
    if (restoreWorker == null) {
      restoreWorker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "raftnode-restore");
        t.setDaemon(true);
        return t;
      });
    }
    return restoreWorker;
  }

  private <T> void complete(Promise<T> promise, T value) {
    if (worker == null && Vertx.currentContext() == context) promise.complete(value);
    else context.runOnContext(v -> promise.complete(value));
  }

  private void applyAll(List<Entry> entries, BiConsumer<Entry, byte[]> onApplied) {
    long start = System.nanoTime();
    for (Entry entry : entries) {
      byte[] result;
      try {
        result = applyOne(entry);
      } catch (RuntimeException e) {
        onFailure.accept(e);
        return;
      }
      onApplied.accept(entry, result);
    }
    applyTimes.accept(System.nanoTime() - start);
  }

  private byte[] applyOne(Entry entry) {
    lastApplied = entry.logId();
    if (entry.payload() instanceof EntryPayload.MembershipChange change) {
      membership = new StoredMembership(entry.logId(), change.membership());
    }
    if (entry.payload() instanceof EntryPayload.Normal normal) {
      return stateMachine.apply(entry.index(), normal.data());
    }
    return null;
  }
}
