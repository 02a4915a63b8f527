package io.raftnode.sim;

import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.model.ReadIndexRequest;
import io.raftnode.internal.model.ReadIndexResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One life of a simulated node's reads and leadership transfers, as the node's ReadsAndTransfers does them: a
 * leader confirms read indexes itself (the reads of one turn share a heartbeat round), a follower asks the leader
 * over the simulated network (ReadIndexService), a lease read goes to the leader's core, and every read is served
 * from the local state machine once it has applied the read index. A crash drops the whole object.
 */
final class SimReads {

  /** Where a read index goes: the index, or a failure with the leader to try (0 = unknown). */
  private interface IndexReply {
    void ready(long index);

    void failed(long leaderHint);
  }

  private final SimNode node;
  private final Map<Long, IndexReply> byToken = new HashMap<>();
  private final Map<Long, IndexReply> remoteCalls = new HashMap<>();
  private final TreeMap<Long, List<Runnable>> awaitingApply = new TreeMap<>();
  private final List<Consumer<SimReply>> open = new ArrayList<>();
  private List<Long> batch = new ArrayList<>();
  private long nextCall = 1;
  /** What the state machine has applied in this life, as the node's AppliedIndexWaiters knows it. */
  private long applied;
  /** The lease read being stepped: answered ready within its own step, it was served by the lease. */
  private long leaseToken;

  SimReads(SimNode node) {
    this.node = node;
  }

  /**
   * A client Get: {@code lease} asks the leader's lease (only the leader serves those; others say NotLeader),
   * otherwise a linearizable read index from the leader, wherever this node is. Times out (outcome unknown).
   */
  void read(byte[] query, boolean lease, Consumer<SimReply> reply, long timeoutMs) {
    Consumer<SimReply> once = once(reply);
    open.add(once);
    node.clock.after(timeoutMs, () -> {
      if (open.remove(once)) once.accept(new SimReply.TimedOut(0, timeoutMs, "read timed out on node " + node.id));
    });
    IndexReply then = new IndexReply() {
      @Override
      public void ready(long index) {
        awaitApplied(index, () -> finish(once, new SimReply.Applied(index, node.stateMachine.query(query))));
      }

      @Override
      public void failed(long leaderHint) {
        finish(once, new SimReply.NotLeader(leaderHint));
      }
    };
    if (node.sabotage == Simulation.Sabotage.LOCAL_READS) {
      then.ready(applied);
    } else if (lease) {
      long token = node.newToken();
      byToken.put(token, then);
      node.catchUpTicks();
      leaseToken = token;
      node.step(new Event.LeaseRead(token));
      leaseToken = 0;
    } else {
      readIndex(then);
    }
  }

  private void finish(Consumer<SimReply> once, SimReply reply) {
    if (open.remove(once)) once.accept(reply);
  }

  private static Consumer<SimReply> once(Consumer<SimReply> reply) {
    boolean[] done = {false};
    return r -> {
      if (!done[0]) {
        done[0] = true;
        reply.accept(r);
      }
    };
  }

  private void readIndex(IndexReply reply) {
    long leader = node.core.leaderId();
    if (leader == node.id) {
      localReadIndex(reply);
    } else if (leader == 0) {
      reply.failed(0);
    } else {
      long callId = nextCall++;
      remoteCalls.put(callId, reply);
      node.send(leader, new SimMessage.ReadIndexCall(node.incarnation, callId, new ReadIndexRequest(node.id)));
      node.clock.after(node.rpcTimeoutMs, () -> {
        IndexReply r = remoteCalls.remove(callId);
        if (r != null) r.failed(0);
      });
    }
  }

  private void localReadIndex(IndexReply reply) {
    long token = node.newToken();
    byToken.put(token, reply);
    if (batch.isEmpty()) {
      int inc = node.incarnation;
      node.clock.after(0, () -> node.whenRunning(inc, this::flush));
    }
    batch.add(token);
  }

  private void flush() {
    if (batch.isEmpty()) return;
    List<Long> tokens = batch;
    batch = new ArrayList<>();
    node.step(new Event.ReadIndex(tokens));
  }

  /** ReadIndexService on this node: answers with a confirmed read index, or null when it cannot. */
  void onReadIndexCall(long from, SimMessage.ReadIndexCall call) {
    localReadIndex(new IndexReply() {
      @Override
      public void ready(long index) {
        answer(new ReadIndexResponse(index, node.core.vote()));
      }

      @Override
      public void failed(long leaderHint) {
        answer(null);
      }

      private void answer(ReadIndexResponse response) {
        node.send(from, new SimMessage.ReadIndexAnswer(call.incarnation(), call.callId(), response));
      }
    });
  }

  void onReadIndexAnswer(SimMessage.ReadIndexAnswer answer) {
    IndexReply r = answer.incarnation() == node.incarnation ? remoteCalls.remove(answer.callId()) : null;
    if (r == null) return;
    if (answer.response() == null) {
      r.failed(0);
    } else {
      node.stats.followerReadIndexes++;
      r.ready(answer.response().readIndex());
    }
  }

  private void awaitApplied(long index, Runnable then) {
    if (index <= applied) then.run();
    else awaitingApply.computeIfAbsent(index, k -> new ArrayList<>()).add(then);
  }

  /** The state machine has applied everything up to {@code index}. */
  void applied(long index) {
    applied = Math.max(applied, index);
    Map<Long, List<Runnable>> done = awaitingApply.headMap(index, true);
    List<Runnable> ready = new ArrayList<>();
    done.values().forEach(ready::addAll);
    done.clear();
    ready.forEach(Runnable::run);
  }

  /** Carries out a read or transfer action; false for any other action. */
  boolean execute(Action action) {
    if (action instanceof Action.ReadIndexReady ready) {
      IndexReply r = byToken.remove(ready.token());
      if (ready.token() == leaseToken) {
        node.stats.leaseHits++;
        node.invariants.leaseReadServed(node);
      }
      if (r != null) r.ready(ready.index());
    } else if (action instanceof Action.ReadIndexFailed failed) {
      IndexReply r = byToken.remove(failed.token());
      if (r != null) r.failed(failed.leaderHint());
    } else if (action instanceof Action.SendTransferLeader send) {
      node.send(send.to(), new SimMessage.TransferCall(send.request()));
    } else if (action instanceof Action.ReplyTransferLeader
        || action instanceof Action.TransferRejected
        || action instanceof Action.TransferCompleted
        || action instanceof Action.TransferFailed) {
      if (action instanceof Action.TransferCompleted c && c.newLeader() != node.id) node.stats.transfers++;
      node.trace(action.toString()); // the operator's answer: the run only records it
    } else {
      return false;
    }
    return true;
  }

  /** The node crashed: every client read still waiting learns nothing more. */
  List<Consumer<SimReply>> orphans() {
    List<Consumer<SimReply>> orphans = List.copyOf(open);
    open.clear();
    return orphans;
  }
}
