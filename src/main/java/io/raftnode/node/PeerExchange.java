package io.raftnode.node;

import io.raftnode.core.Action;
import io.raftnode.core.Event;
import io.raftnode.core.RaftCore;
import io.raftnode.model.AppendEntriesRequest;
import io.raftnode.model.AppendEntriesResponse;
import io.raftnode.model.VoteRequest;
import io.raftnode.model.VoteResponse;
import io.raftnode.transport.PeerClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The runtime's Vote and AppendEntries traffic, on the node's event loop: the calls the core asks it to make
 * ({@code SendVote}, {@code SendAppend}), whose answers or failures come back as events, and the calls peers made
 * to it, which wait for the core's {@code ReplyVote} / {@code ReplyAppend}.
 */
final class PeerExchange {
  private static final Logger LOG = Logger.getLogger(PeerExchange.class.getName());

  private final RaftCore core;
  private final PeerDirectory peers;
  private final Consumer<Event> step;
  private final LongSupplier tokens;
  private final Map<Long, Promise<VoteResponse>> voteReplies = new HashMap<>();
  private final Map<Long, Promise<AppendEntriesResponse>> appendReplies = new HashMap<>();

  PeerExchange(RaftCore core, PeerDirectory peers, Consumer<Event> step, LongSupplier tokens) {
    this.core = core;
    this.peers = peers;
    this.step = step;
    this.tokens = tokens;
  }

  /** A peer's Vote call: answered when the core replies (after any vote it cast is durable). */
  Future<VoteResponse> onVote(VoteRequest request) {
    return awaitReply(voteReplies, token -> new Event.VoteRequestReceived(token, request));
  }

  /** A peer's AppendEntries (unary, or one request of a StreamAppend stream): answered when the core replies. */
  Future<AppendEntriesResponse> onAppendEntries(AppendEntriesRequest request) {
    return awaitReply(appendReplies, token -> new Event.AppendEntriesReceived(token, request));
  }

  private <T> Future<T> awaitReply(Map<Long, Promise<T>> replies, LongFunction<Event> received) {
    Promise<T> reply = Promise.promise();
    long token = tokens.getAsLong();
    replies.put(token, reply);
    step.accept(received.apply(token));
    return reply.future();
  }

  /** Carries out a peer action; false for any other action. */
  boolean execute(Action action) {
    if (action instanceof Action.SendVote send) {
      sendVote(send);
    } else if (action instanceof Action.SendAppend send) {
      sendAppend(send);
    } else if (action instanceof Action.ReplyVote reply) {
      Promise<VoteResponse> promise = voteReplies.remove(reply.token());
      if (promise != null) promise.tryComplete(reply.response());
    } else if (action instanceof Action.ReplyAppend reply) {
      Promise<AppendEntriesResponse> promise = appendReplies.remove(reply.token());
      if (promise != null) promise.tryComplete(reply.response());
    } else {
      return false;
    }
    return true;
  }

  /** Fails every call still waiting for the core's answer. */
  void failAll(Throwable cause) {
    voteReplies.values().forEach(p -> p.tryFail(cause));
    appendReplies.values().forEach(p -> p.tryFail(cause));
  }

  private void sendVote(Action.SendVote send) {
    PeerClient peer = peers.client(core.membership(), send.to());
    if (peer == null) return;
    peer.vote(send.request()).onComplete((response, err) -> {
      if (err == null) {
        step.accept(new Event.VoteResponseReceived(send.to(), send.request(), response));
      } else {
        LOG.log(Level.FINE, "vote request to node " + send.to() + " failed", err);
      }
    });
  }

  private void sendAppend(Action.SendAppend send) {
    PeerClient peer = peers.client(core.membership(), send.to());
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
