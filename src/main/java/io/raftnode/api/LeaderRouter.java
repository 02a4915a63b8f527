package io.raftnode.api;

import io.raftnode.model.HostAndPort;
import io.raftnode.node.NotLeaderException;
import io.raftnode.node.RaftNode;
import io.raftnode.transport.RemoteCallException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Runs a write on the leader: locally when this node leads, otherwise by forwarding the client's call to the
 * leader's client address. While no leader is known it retries for a bounded time, then fails UNAVAILABLE.
 * A forwarded call carries a hop marker and is never forwarded again, so two nodes with stale views cannot bounce
 * a request between them.
 */
final class LeaderRouter {
  static final String FORWARDED_HEADER = "raftnode-forwarded";
  /** How long a request waits for a leader to appear (a few election timeouts). */
  static final long NO_LEADER_WAIT_MS = 3_000;
  private static final long RETRY_INTERVAL_MS = 25;

  private final RaftNode node;

  LeaderRouter(RaftNode node) {
    this.node = node;
  }

  /**
   * @param local     runs the request on this node; fails with NotLeaderException when it is not the leader
   * @param forward   sends the request to the leader at the given address, with the hop marker
   * @param forwarded whether this request was itself forwarded (then it is not forwarded again)
   */
  <T> Future<T> route(Supplier<Future<T>> local, BiFunction<SocketAddress, Long, Future<T>> forward, boolean forwarded) {
    Promise<T> result = Promise.promise();
    attempt(local, forward, forwarded, System.currentTimeMillis() + NO_LEADER_WAIT_MS, result);
    return result.future();
  }

  /**
   * Runs {@code local} on this node, retrying while it fails with NotLeaderException (no leader known, or the
   * leader moved) for the same bounded time; never forwards. For linearizable reads, which followers serve
   * themselves once the leader has given them a read index.
   */
  <T> Future<T> retryLocally(Supplier<Future<T>> local) {
    Promise<T> result = Promise.promise();
    retryLocally(local, System.currentTimeMillis() + NO_LEADER_WAIT_MS, result);
    return result.future();
  }

  private <T> void retryLocally(Supplier<Future<T>> local, long deadlineMs, Promise<T> result) {
    local.get().onComplete((value, err) -> {
      if (err == null) {
        result.complete(value);
      } else if (!(err instanceof NotLeaderException) || System.currentTimeMillis() + RETRY_INTERVAL_MS > deadlineMs) {
        result.fail(err);
      } else {
        node.vertx().setTimer(RETRY_INTERVAL_MS, id -> retryLocally(local, deadlineMs, result));
      }
    });
  }

  private <T> void attempt(Supplier<Future<T>> local, BiFunction<SocketAddress, Long, Future<T>> forward,
      boolean forwarded, long deadlineMs, Promise<T> result) {
    local.get().onComplete((value, err) -> {
      if (err == null) {
        result.complete(value);
      } else if (!(err instanceof NotLeaderException) || forwarded) {
        result.fail(err);
      } else {
        node.leaderClientAddress().onComplete((leader, e) -> {
          if (leader == null) {
            retryLater(local, forward, forwarded, deadlineMs, result, err);
          } else {
            forwardTo(leader, local, forward, deadlineMs, result);
          }
        });
      }
    });
  }

  private <T> void forwardTo(HostAndPort leader, Supplier<Future<T>> local,
      BiFunction<SocketAddress, Long, Future<T>> forward, long deadlineMs, Promise<T> result) {
    long remaining = Math.max(1, deadlineMs - System.currentTimeMillis()) + node.proposalTimeoutMs();
    forward.apply(SocketAddress.inetSocketAddress(leader.port(), leader.host()), remaining)
        .onComplete((value, err) -> {
          if (err == null) {
            result.complete(value);
          } else if (isLeaderChurn(err)) {
            retryLater(local, forward, false, deadlineMs, result, err);
          } else {
            result.fail(err);
          }
        });
  }

  /**
   * The node we forwarded to was not the leader any more, or could not be reached: the write was not applied
   * there, so trying again is safe.
   */
  private static boolean isLeaderChurn(Throwable err) {
    if (err instanceof RemoteCallException remote) {
      return remote.status() == GrpcStatus.UNAVAILABLE && remote.statusMessage().startsWith(NOT_LEADER_PREFIX);
    }
    return err instanceof java.net.ConnectException || err.getCause() instanceof java.net.ConnectException;
  }

  static final String NOT_LEADER_PREFIX = "no leader is available";

  private <T> void retryLater(Supplier<Future<T>> local, BiFunction<SocketAddress, Long, Future<T>> forward,
      boolean forwarded, long deadlineMs, Promise<T> result, Throwable lastError) {
    if (System.currentTimeMillis() + RETRY_INTERVAL_MS > deadlineMs) {
      result.fail(lastError);
      return;
    }
    node.vertx().setTimer(RETRY_INTERVAL_MS, id -> attempt(local, forward, forwarded, deadlineMs, result));
  }
}
