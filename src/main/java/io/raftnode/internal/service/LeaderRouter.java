package io.raftnode.internal.service;

import io.raftnode.HostAndPort;
import io.raftnode.NotLeaderException;
import io.raftnode.internal.node.InternalNode;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.internal.transport.RequestNotSentException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Runs a call on the leader: locally when this node leads, otherwise by forwarding the client's call to the
 * leader's client address. It tries again only where nothing happened: this node is not the leader and knows
 * none, the leader answered not-leader (its {@value ClientFailure#REASON} trailer), or no connection to the leader
 * could be made. Any other failure of a forwarded call is the caller's to classify, never retried.
 *
 * <p>Bounds: the client's deadline bounds everything; the wait for a leader also stops after
 * {@link #NO_LEADER_WAIT_MS}. A forwarded call carries what is left of the client's deadline (without one: what
 * is left of the wait plus the proposal timeout), and a hop marker: it is never forwarded again, so two nodes with
 * stale views cannot bounce a request between them.
 */
final class LeaderRouter {
  static final String FORWARDED_HEADER = "raftnode-forwarded";
  /** How long a request waits for a leader to appear (a few election timeouts). */
  static final long NO_LEADER_WAIT_MS = 3_000;
  private static final long RETRY_INTERVAL_MS = 25;

  private final InternalNode node;

  LeaderRouter(InternalNode node) {
    this.node = node;
  }

  /** One routed call: what to run, where it came from, and when the client stops waiting. */
  private record Call<T>(Supplier<Future<T>> local, BiFunction<SocketAddress, Long, Future<T>> forward,
      boolean forwarded, CallDeadline deadline, Wait bound, Promise<T> result) {}

  /**
   * How long a call may keep trying: until the wait for a leader runs out or, if sooner, the client's deadline
   * (which then decides the answer: DEADLINE_EXCEEDED).
   */
  private record Wait(long untilNanos, boolean endsAtDeadline) {
    static Wait of(CallDeadline deadline) {
      long ms = deadline.remainingMsOrAtMost(NO_LEADER_WAIT_MS);
      return new Wait(System.nanoTime() + ms * 1_000_000, ms < NO_LEADER_WAIT_MS);
    }

    boolean roomForRetry() {
      return System.nanoTime() + RETRY_INTERVAL_MS * 1_000_000 <= untilNanos;
    }

    /** The failure once no retry fits: the last error, unless it was the client's deadline that ran out. */
    Throwable giveUp(Throwable lastError) {
      return endsAtDeadline ? deadlinePassed() : lastError;
    }
  }

  /**
   * @param local     runs the request on this node; fails with NotLeaderException when it is not the leader
   * @param forward   sends the request to the leader at the given address with the given timeout (ms), with the
   *                  hop marker
   * @param forwarded whether this request was itself forwarded (then it is not forwarded again)
   * @param deadline  the client's deadline
   */
  <T> Future<T> route(Supplier<Future<T>> local, BiFunction<SocketAddress, Long, Future<T>> forward, boolean forwarded,
      CallDeadline deadline) {
    Promise<T> result = Promise.promise();
    attempt(new Call<>(local, forward, forwarded, deadline, Wait.of(deadline), result));
    return result.future();
  }

  /**
   * Runs {@code local} on this node, retrying while it fails with NotLeaderException (no leader known, or the
   * leader moved) within the same bounds; never forwards. For linearizable reads, which followers serve
   * themselves once the leader has given them a read index.
   */
  <T> Future<T> retryLocally(Supplier<Future<T>> local, CallDeadline deadline) {
    Promise<T> result = Promise.promise();
    retryLocally(local, Wait.of(deadline), result);
    return result.future();
  }

  private <T> void retryLocally(Supplier<Future<T>> local, Wait wait, Promise<T> result) {
    local.get().onComplete((value, err) -> {
      if (err == null) {
        result.complete(value);
      } else if (!(err instanceof NotLeaderException)) {
        result.fail(err);
      } else if (!wait.roomForRetry()) {
        result.fail(wait.giveUp(err));
      } else {
        node.vertx().setTimer(RETRY_INTERVAL_MS, id -> retryLocally(local, wait, result));
      }
    });
  }

  private <T> void attempt(Call<T> call) {
    call.local().get().onComplete((value, err) -> {
      if (err == null) {
        call.result().complete(value);
      } else if (!(err instanceof NotLeaderException) || call.forwarded()) {
        call.result().fail(err);
      } else {
        node.leaderClientAddress().onComplete((leader, e) -> {
          if (leader == null) {
            retryLater(call, err);
          } else {
            forwardTo(leader, call);
          }
        });
      }
    });
  }

  private <T> void forwardTo(HostAndPort leader, Call<T> call) {
    long timeoutMs = call.deadline().bounded()
        ? call.deadline().remainingMs()
        : Math.max(1, (call.bound().untilNanos() - System.nanoTime()) / 1_000_000) + node.proposalTimeoutMs();
    if (timeoutMs <= 0) {
      call.result().fail(deadlinePassed());
      return;
    }
    call.forward().apply(SocketAddress.inetSocketAddress(leader.port(), leader.host()), timeoutMs)
        .onComplete((value, err) -> {
          if (err == null) {
            call.result().complete(value);
          } else if (nothingHappened(err)) {
            retryLater(call, err);
          } else {
            call.result().fail(err);
          }
        });
  }

  /**
   * The node we forwarded to was not the leader any more, or could not be reached: the request was not carried
   * out there, so trying again is safe.
   */
  private static boolean nothingHappened(Throwable err) {
    if (err instanceof RequestNotSentException) return true;
    return err instanceof RemoteCallException remote
        && ClientFailure.Reason.ofWord(remote.metadata(ClientFailure.REASON)) == ClientFailure.Reason.NOT_LEADER;
  }

  private <T> void retryLater(Call<T> call, Throwable lastError) {
    if (!call.bound().roomForRetry()) {
      call.result().fail(call.bound().giveUp(lastError));
      return;
    }
    node.vertx().setTimer(RETRY_INTERVAL_MS, id -> attempt(call));
  }

  private static ClientFailure deadlinePassed() {
    return new ClientFailure(GrpcStatus.DEADLINE_EXCEEDED,
        "the client's deadline passed before a leader could take the request", ClientFailure.Reason.OUTCOME_UNKNOWN);
  }
}
