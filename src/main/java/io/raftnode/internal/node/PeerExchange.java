package io.raftnode.internal.node;

import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.core.RaftCore;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import io.raftnode.internal.transport.PeerClient;
import io.raftnode.internal.transport.PeerRequestChecks;
import io.raftnode.internal.transport.RemoteCallException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.common.GrpcStatus;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The runtime's Vote and AppendEntries traffic, on the node's event loop: the calls the core asks it to make
 * ({@code SendVote}, {@code SendAppend}), whose answers or failures come back as events, and the calls peers made
 * to it, which wait in {@link PendingCalls} for the core's {@code ReplyVote} / {@code ReplyAppend}.
 */
final class PeerExchange {
  private static final Logger LOG = Logger.getLogger(PeerExchange.class.getName());

  private final RaftCore core;
  private final PeerDirectory peers;
  private final Consumer<Event> step;
  private final PendingCalls calls;
  private final LongConsumer toldRemoved;

  /** @param toldRemoved called with the member that refused a vote request because this node was removed */
  PeerExchange(RaftCore core, PeerDirectory peers, Consumer<Event> step, PendingCalls calls, LongConsumer toldRemoved) {
    this.core = core;
    this.peers = peers;
    this.step = step;
    this.calls = calls;
    this.toldRemoved = toldRemoved;
  }

  /** A peer's Vote call: answered when the core replies (after any vote it cast is durable). */
  Future<VoteResponse> onVote(VoteRequest request) {
    return awaitReply(token -> new Event.VoteRequestReceived(token, request));
  }

  /** A peer's AppendEntries (unary, or one request of a StreamAppend stream): answered when the core replies. */
  Future<AppendEntriesResponse> onAppendEntries(AppendEntriesRequest request) {
    return awaitReply(token -> new Event.AppendEntriesReceived(token, request));
  }

  private <T> Future<T> awaitReply(LongFunction<Event> received) {
    Promise<T> reply = Promise.promise();
    step.accept(received.apply(calls.add(reply)));
    return reply.future();
  }

  /**
   * Sends a vote request; a lost one needs no event: the election timer runs on. A refusal saying this node was
   * removed from the cluster ({@link PeerRequestChecks#REMOVED_FROM_CLUSTER}) ends its campaigning.
   */
  void sendVote(Action.SendVote send) {
    PeerClient peer = peers.client(send.to());
    if (peer == null) return;
    peer.vote(send.request()).onComplete((response, err) -> {
      if (err == null) {
        step.accept(new Event.VoteResponseReceived(send.to(), send.request(), response));
      } else if (saysRemoved(err)) {
        toldRemoved.accept(send.to());
      } else {
        LOG.log(Level.FINE, "vote request to node " + send.to() + " failed", err);
      }
    });
  }

  private static boolean saysRemoved(Throwable err) {
    return err instanceof RemoteCallException refusal && refusal.status() == GrpcStatus.FAILED_PRECONDITION
        && PeerRequestChecks.REMOVED_FROM_CLUSTER.equals(refusal.metadata(PeerRequestChecks.REFUSAL_REASON));
  }

  /** Sends an AppendEntries request; its answer, or its failure, comes back as an event. */
  void sendAppend(Action.SendAppend send) {
    PeerClient peer = peers.client(send.to());
    if (peer == null) {
      step.accept(new Event.AppendEntriesFailed(send.to(), send.rpcId(), send.request()));
      return;
    }
    peer.appendEntries(send.request()).onComplete((response, err) -> {
      if (err == null) {
        step.accept(new Event.AppendEntriesResponseReceived(send.to(), send.rpcId(), send.request(), response));
      } else {
        LOG.log(Level.FINE, "append to node " + send.to() + " failed", err);
        step.accept(new Event.AppendEntriesFailed(send.to(), send.rpcId(), send.request()));
      }
    });
  }
}
