package io.raftnode.node;

import io.raftnode.model.Entry;
import io.raftnode.model.EntryPayload;
import io.raftnode.statemachine.StateMachine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Feeds committed entries to the state machine in log order, exactly once each. An in-memory state machine runs on
 * the event loop; any other runs on one dedicated thread so a slow apply never stalls heartbeats.
 */
final class StateMachineRunner {
  private final StateMachine stateMachine;
  private final Context context;
  private final ExecutorService worker;
  private final Consumer<Throwable> onFailure;

  StateMachineRunner(StateMachine stateMachine, Context context, String threadName, Consumer<Throwable> onFailure) {
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
    if (worker == null) {
      applyAll(entries, onApplied);
      return;
    }
    worker.execute(() -> {
      byte[][] results = new byte[entries.size()][];
      try {
        for (int i = 0; i < entries.size(); i++) results[i] = applyOne(entries.get(i));
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
  }

  private void applyAll(List<Entry> entries, BiConsumer<Entry, byte[]> onApplied) {
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
  }

  private byte[] applyOne(Entry entry) {
    if (entry.payload() instanceof EntryPayload.Normal normal) {
      return stateMachine.apply(entry.index(), normal.data());
    }
    return null;
  }
}
