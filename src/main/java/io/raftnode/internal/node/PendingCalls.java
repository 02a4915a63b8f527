package io.raftnode.internal.node;

import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every call that waits for the core's answer, of whatever kind, by the token the core echoes in its action: one
 * token space for the node, so an event's token can never be mistaken for another kind of call's. A call may hold
 * an {@link Attachment} (a received snapshot file) that is discarded unless it is claimed before the call ends.
 */
final class PendingCalls {

  /** Something a call holds that must be given back if nobody claims it. */
  interface Attachment {
    void discard();
  }

  private record Call(Promise<Object> promise, Attachment attachment) {}

  private final Map<Long, Call> byToken = new HashMap<>();
  private long lastToken;

  /** A fresh token, never given before (also for calls tracked elsewhere, such as accepted proposals). */
  long nextToken() {
    return ++lastToken;
  }

  /** Registers {@code promise} under a fresh token and returns the token. */
  <T> long add(Promise<T> promise) {
    return add(promise, null);
  }

  @SuppressWarnings("unchecked")
  <T> long add(Promise<T> promise, Attachment attachment) {
    long token = nextToken();
    byToken.put(token, new Call((Promise<Object>) promise, attachment));
    return token;
  }

  /** Completes the call with {@code value}; an unclaimed attachment is discarded. Unknown tokens are ignored. */
  <T> void complete(long token, T value) {
    Call call = byToken.remove(token);
    if (call == null) return;
    discard(call);
    call.promise().tryComplete(value);
  }

  void fail(long token, Throwable cause) {
    Call call = byToken.remove(token);
    if (call == null) return;
    discard(call);
    call.promise().tryFail(cause);
  }

  /** Removes the call and hands its promise over to whoever tracks it from now on (null if unknown). */
  @SuppressWarnings("unchecked")
  <T> Promise<T> take(long token) {
    Call call = byToken.remove(token);
    if (call == null) return null;
    discard(call);
    return (Promise<T>) (Promise<?>) call.promise();
  }

  /** Takes the call's attachment, which the caller now owns; null when there is none (or it was claimed). */
  <A extends Attachment> A claim(long token, Class<A> type) {
    Call call = byToken.get(token);
    if (call == null || !type.isInstance(call.attachment())) return null;
    byToken.put(token, new Call(call.promise(), null));
    return type.cast(call.attachment());
  }

  void failAll(Throwable cause) {
    List<Call> calls = new ArrayList<>(byToken.values());
    byToken.clear();
    for (Call call : calls) {
      discard(call);
      call.promise().tryFail(cause);
    }
  }

  private static void discard(Call call) {
    if (call.attachment() != null) call.attachment().discard();
  }
}
