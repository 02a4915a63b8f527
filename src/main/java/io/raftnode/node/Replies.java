package io.raftnode.node;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;

/** Promises waiting for the core's answer, by the token the core will echo. */
final class Replies<T> {
  private final Map<Long, Promise<T>> byToken = new HashMap<>();

  Future<T> add(long token) {
    Promise<T> promise = Promise.promise();
    byToken.put(token, promise);
    return promise.future();
  }

  void complete(long token, T value) {
    Promise<T> promise = byToken.remove(token);
    if (promise != null) promise.tryComplete(value);
  }

  void fail(long token, Throwable cause) {
    Promise<T> promise = byToken.remove(token);
    if (promise != null) promise.tryFail(cause);
  }

  void failAll(Throwable cause) {
    byToken.values().forEach(p -> p.tryFail(cause));
    byToken.clear();
  }
}
