package io.raftnode.internal.node;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads waiting until the state machine has applied their read index (thesis §6.4, the last step of ReadIndex):
 * only then does the local state include every write that completed before the read began.
 */
final class AppliedIndexWaiters {
  private final TreeMap<Long, List<Promise<Void>>> byIndex = new TreeMap<>();
  private long applied;

  /** {@code applied}: what the state machine holds already (a snapshot restored at startup, or 0). */
  AppliedIndexWaiters(long applied) {
    this.applied = applied;
  }

  /** Completes once the state machine has applied {@code index}. */
  Future<Void> await(long index) {
    if (index <= applied) return Future.succeededFuture();
    Promise<Void> promise = Promise.promise();
    byIndex.computeIfAbsent(index, k -> new ArrayList<>()).add(promise);
    return promise.future();
  }

  /** The state machine holds every entry up to {@code index}: it applied them, or restored a snapshot covering them. */
  void applied(long index) {
    applied = Math.max(applied, index);
    if (byIndex.isEmpty() || byIndex.firstKey() > applied) return; // the usual case: nobody waits this far
    Map<Long, List<Promise<Void>>> done = byIndex.headMap(applied, true);
    done.values().forEach(list -> list.forEach(Promise::tryComplete));
    done.clear();
  }

  void failAll(Throwable cause) {
    byIndex.values().forEach(list -> list.forEach(p -> p.tryFail(cause)));
    byIndex.clear();
  }
}
