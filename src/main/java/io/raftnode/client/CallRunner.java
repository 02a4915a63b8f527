package io.raftnode.client;

import io.raftnode.client.RaftKvException.Reason;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs each call until it succeeds, fails for good or its deadline passes, resending it where the failure says that
 * is safe ({@link CallFailure#worthRetrying()}). A write keeps one request id over all its attempts, so however
 * often it is resent (also after an attempt whose outcome is unknown) the node applies it once and answers every
 * copy with the first answer. Everything but the completion of the caller's future runs on the client's context.
 */
final class CallRunner {
  private static final long FIRST_BACKOFF_MS = 10;
  private static final long MAX_BACKOFF_MS = 320;
  /**
   * A retry is sent only if at least this much of the deadline is left once its wait is over, so an attempt is
   * rarely still out when the deadline passes (which leaves a write in doubt).
   */
  private static final long RETRY_ROOM_MS = 50;

  private final Vertx vertx;
  private final Context context;
  private final Nodes nodes;
  /** Null when writes carry no request id: a write whose outcome is unknown is then never resent. */
  private final RequestIds ids;
  private final Executor callbacks;
  private final java.util.Set<Call<?>> running = new java.util.HashSet<>();
  private boolean closed;

  CallRunner(Vertx vertx, Context context, Nodes nodes, RequestIds ids, Executor callbacks) {
    this.vertx = vertx;
    this.context = context;
    this.nodes = nodes;
    this.ids = ids;
    this.callbacks = callbacks;
  }

  <R> CompletableFuture<R> submit(KvOperation<R> operation, long timeoutMs) {
    CompletableFuture<R> result = new CompletableFuture<>();
    if (Vertx.currentContext() == context) {
      new Call<>(operation, timeoutMs, result).start();
    } else {
      context.runOnContext(v -> new Call<>(operation, timeoutMs, result).start());
    }
    return result;
  }

  /** Fails every call still running (a write sent may still apply); called on the context. */
  void close() {
    closed = true;
    for (Call<?> call : new java.util.ArrayList<>(running)) {
      call.mayHaveApplied |= call.operation.write() && call.inFlight;
      call.finish(CallFailure.lost("the client was closed"), GrpcStatus.CANCELLED);
    }
  }

  /** One call of the user's, over all its attempts. */
  private final class Call<R> {
    private final KvOperation<R> operation;
    private final long timeoutMs;
    private final long deadlineNanos;
    private final CompletableFuture<R> result;
    private final long sequence;
    private long timer = -1;
    private int attempts;
    /** Attempts that reached a node (or may have): what the caller is told. */
    private int sent;
    private boolean inFlight;
    private boolean mayHaveApplied;
    private CallFailure lastFailure;
    private long backoffMs = FIRST_BACKOFF_MS;
    private boolean done;

    Call(KvOperation<R> operation, long timeoutMs, CompletableFuture<R> result) {
      this.operation = operation;
      this.timeoutMs = timeoutMs;
      this.deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000;
      this.result = result;
      this.sequence = operation.write() && ids != null ? ids.begin() : 0;
    }

    void start() {
      if (closed) {
        finish(CallFailure.notSent("the client is closed"), GrpcStatus.CANCELLED);
        return;
      }
      running.add(this);
      timer = vertx.setTimer(timeoutMs, id -> expired());
      nodes.refreshIfDue();
      attempt();
    }

    private void attempt() {
      if (done) return;
      if (closed) {
        finish(CallFailure.lost("the client was closed"), GrpcStatus.CANCELLED);
        return;
      }
      NodeAddress node = nodes.target();
      int attempt = ++attempts;
      sent++;
      inFlight = true;
      nodes.channel(node).send(operation.call(operation.write() && ids != null ? ids.idFor(sequence) : null), remainingMs())
          .onComplete((answer, err) -> {
            if (done || attempt != attempts) return;
            inFlight = false;
            if (err == null) {
              succeed(operation.result(answer));
            } else {
              failed(node, err instanceof CallFailure f ? f : CallFailure.lost(String.valueOf(err)));
            }
          });
    }

    private void failed(NodeAddress node, CallFailure failure) {
      if (failure.delivery == CallFailure.Delivery.NOT_SENT) sent--;
      if (failure.mayHaveApplied()) mayHaveApplied = true;
      lastFailure = failure;
      if (!failure.worthRetrying() || (mayHaveApplied && operation.write() && ids == null)) {
        // Without a request id, a copy of a write that may have applied could apply a second time.
        finish(failure, failure.status);
        return;
      }
      if (failure.sessionsNotServed) {
        nodes.sessionsNotServed(node);
        attempt();
      } else if (failure.hasLeaderHint() && !failure.leaderAddress.equals(node.toString())) {
        nodes.leaderNamed(failure.leaderAddress);
        // Straight there, unless nodes keep naming each other (views of a leadership still moving).
        if (attempts < 3) {
          attempt();
        } else {
          retryLater(backoffMs);
        }
      } else {
        if (failure.delivery != CallFailure.Delivery.ANSWERED || failure.reason == Reason.NOT_LEADER) nodes.failedAt(node);
        retryLater(Math.max(backoffMs, failure.retryAfterMs));
      }
    }

    private void retryLater(long delayMs) {
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      if (System.nanoTime() + (delayMs + RETRY_ROOM_MS) * 1_000_000 >= deadlineNanos) {
        finish(lastFailure, lastFailure.status); // no retry fits before the deadline
        return;
      }
      vertx.setTimer(delayMs, id -> attempt());
    }

    /** The deadline passed: with an attempt still out, its outcome (for a write) is unknown. */
    private void expired() {
      timer = -1;
      if (done) return;
      if (inFlight || lastFailure == null) {
        if (inFlight) {
          mayHaveApplied |= operation.write();
          nodes.failedAt(nodes.target()); // the node may have stopped answering: find the leader again
        }
        String what = "no answer within the call's deadline of " + timeoutMs + " ms";
        finish(CallFailure.answered(GrpcStatus.DEADLINE_EXCEEDED, what,
            operation.write() && mayHaveApplied ? Reason.OUTCOME_UNKNOWN : Reason.NONE, 0, "", 0),
            GrpcStatus.DEADLINE_EXCEEDED);
      } else {
        finish(lastFailure, lastFailure.status);
      }
    }

    private long remainingMs() {
      return Math.max(1, (deadlineNanos - System.nanoTime() + 999_999) / 1_000_000);
    }

    private void succeed(R value) {
      if (done) return;
      done = true;
      cleanUp();
      callbacks.execute(() -> result.complete(value));
    }

    private void finish(CallFailure failure, GrpcStatus status) {
      if (done) return;
      done = true;
      cleanUp();
      boolean unknown = operation.write() && (mayHaveApplied || failure.mayHaveApplied());
      RaftKvException error = new RaftKvException(status.name(), status.code, failure.getMessage()
          + (sent > 1 ? " (after " + sent + " attempts)" : ""), failure.reason, failure.leaderId,
          failure.leaderAddress, unknown, sent);
      callbacks.execute(() -> result.completeExceptionally(error));
    }

    private void cleanUp() {
      running.remove(this);
      if (timer >= 0) vertx.cancelTimer(timer);
      timer = -1;
      if (operation.write() && ids != null) ids.finish(sequence);
    }
  }
}
