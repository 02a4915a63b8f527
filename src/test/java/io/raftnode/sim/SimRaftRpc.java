package io.raftnode.sim;

import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.VoteRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * One life of a simulated node's RaftService calls (RequestVote, AppendEntries), as the node's PeerClient and
 * endpoint: an answer reaches only the very call that asked; an AppendEntries unanswered within the RPC timeout
 * steps AppendEntriesFailed, a vote request simply lapses.
 */
final class SimRaftRpc {
  private record Inbound(long from, int incarnation, long callId) {}

  private record OutboundAppend(long to, long rpcId, AppendEntriesRequest request) {}

  private record OutboundVote(long to, VoteRequest request) {}

  private final SimNode node;
  private final Map<Long, Inbound> inbound = new HashMap<>();
  private final Map<Long, OutboundAppend> appendCalls = new HashMap<>();
  private final Map<Long, OutboundVote> voteCalls = new HashMap<>();
  private long nextCall = 1;

  SimRaftRpc(SimNode node) {
    this.node = node;
  }

  /** Handles a RaftService message; false for any other message. */
  boolean receive(long from, SimMessage message) {
    if (message instanceof SimMessage.VoteCall c) {
      if (refusesRemoved(from, c)) return true;
      long token = node.newToken();
      inbound.put(token, new Inbound(from, c.incarnation(), c.callId()));
      node.step(new Event.VoteRequestReceived(token, c.request()));
    } else if (message instanceof SimMessage.AppendCall c) {
      long token = node.newToken();
      inbound.put(token, new Inbound(from, c.incarnation(), c.callId()));
      node.step(new Event.AppendEntriesReceived(token, c.request()));
    } else if (message instanceof SimMessage.VoteAnswer a) {
      OutboundVote call = a.incarnation() == node.incarnation ? voteCalls.remove(a.callId()) : null;
      if (call != null) node.step(new Event.VoteResponseReceived(call.to(), call.request(), a.response()));
    } else if (message instanceof SimMessage.VoteRefusedRemoved r) {
      OutboundVote call = r.incarnation() == node.incarnation ? voteCalls.remove(r.callId()) : null;
      if (call != null) {
        node.stats.removedToldSo++;
        node.step(new Event.RemovedFromCluster(from));
      }
    } else if (message instanceof SimMessage.AppendAnswer a) {
      OutboundAppend call = a.incarnation() == node.incarnation ? appendCalls.remove(a.callId()) : null;
      if (call != null) node.step(new Event.AppendEntriesResponseReceived(call.to(), call.rpcId(), call.request(), a.response()));
    } else {
      return false;
    }
    return true;
  }

  /**
   * The transport's check before a vote request reaches the core (PeerRequestChecks): a candidate this node knows
   * was removed is refused and told so; any other, known or not, reaches the core.
   */
  private boolean refusesRemoved(long from, SimMessage.VoteCall c) {
    if (!node.core.membership().wasRemoved(c.request().candidateId())) return false;
    node.send(from, new SimMessage.VoteRefusedRemoved(c.incarnation(), c.callId()));
    return true;
  }

  /** Carries out a RaftService action; false for any other action. */
  boolean execute(Action action) {
    int inc = node.incarnation;
    if (action instanceof Action.SendVote v) {
      long callId = nextCall++;
      voteCalls.put(callId, new OutboundVote(v.to(), v.request()));
      node.send(v.to(), new SimMessage.VoteCall(inc, callId, v.request()));
      node.clock.after(node.rpcTimeoutMs, () -> voteCalls.remove(callId));
    } else if (action instanceof Action.SendAppend s) {
      long callId = nextCall++;
      appendCalls.put(callId, new OutboundAppend(s.to(), s.rpcId(), s.request()));
      node.send(s.to(), new SimMessage.AppendCall(inc, callId, s.request()));
      node.clock.after(node.rpcTimeoutMs, () -> node.whenRunning(inc, () -> {
        OutboundAppend call = appendCalls.remove(callId);
        if (call != null) node.step(new Event.AppendEntriesFailed(call.to(), call.rpcId(), call.request()));
      }));
    } else if (action instanceof Action.ReplyVote r) {
      Inbound in = inbound.remove(r.token());
      if (in != null) node.send(in.from(), new SimMessage.VoteAnswer(in.incarnation(), in.callId(), r.response()));
    } else if (action instanceof Action.ReplyAppend r) {
      Inbound in = inbound.remove(r.token());
      if (in != null) node.send(in.from(), new SimMessage.AppendAnswer(in.incarnation(), in.callId(), r.response()));
    } else {
      return false;
    }
    return true;
  }
}
