package io.raftnode.sim;

import io.raftnode.core.Action;
import io.raftnode.core.CoreConfig;
import io.raftnode.core.Event;
import io.raftnode.core.RaftCore;
import io.raftnode.model.AppendEntriesRequest;
import io.raftnode.model.Entry;
import io.raftnode.model.EntryPayload;
import io.raftnode.model.LogId;
import io.raftnode.model.VoteRequest;
import io.raftnode.statemachine.KvStateMachine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One simulated node: the production {@link RaftCore} and {@link KvStateMachine} driven the way NodeRuntime drives
 * them (actions executed in order, replies and vote requests held until every earlier disk write is durable,
 * proposals batched per turn, a proposal completing only when the entry applied at its index has its LogId), with
 * a {@link SimDisk} for storage and the {@link SimNetwork} for RPCs. A crash drops everything in memory; a restart
 * rebuilds the core from the durable vote and log, and the state machine replays as the commit index is relearned.
 */
final class SimNode {

  /** What a client hears back for one request. */
  sealed interface Reply {
    record Applied(long index, byte[] result) implements Reply {}

    /** Not the leader: the command was not appended and never will be. */
    record NotLeader(long leaderHint) implements Reply {}

    /** Another entry took the command's log slot: it was not applied and never will be. */
    record NotApplied() implements Reply {}

    /** The node could not be reached: the command never arrived. */
    record Refused() implements Reply {}

    /** Timed out or the node crashed: the command may or may not take effect. */
    record Unknown(String why) implements Reply {}
  }

  private record Inbound(long from, int incarnation, long callId, boolean vote) {}

  private record OutboundAppend(long to, long rpcId, AppendEntriesRequest request) {}

  private record OutboundVote(long to, VoteRequest request) {}

  private record Waiting(Consumer<Reply> reply, long deadline) {}

  private record Accepted(LogId logId, Consumer<Reply> reply, long deadline) {}

  final long id;
  private final CoreConfig config;
  private final long seed;
  private final SimClock clock;
  private final SimNetwork network;
  private final Invariants invariants;
  private final Trace trace;
  final SimDisk disk;
  private final long tickMs;
  private final long rpcTimeoutMs;
  private final long proposalTimeoutMs;

  RaftCore core;
  KvStateMachine stateMachine;
  boolean up;
  int incarnation;
  /** While the clock is before this, the node is frozen (a stopped process): nothing it would do happens yet. */
  long pausedUntil;

  private final Map<Long, Waiting> byToken = new HashMap<>();
  private final TreeMap<Long, Accepted> byIndex = new TreeMap<>();
  private List<Event.Proposal> batch = new ArrayList<>();
  private final Map<Long, Inbound> inbound = new HashMap<>();
  private final Map<Long, OutboundAppend> appendCalls = new HashMap<>();
  private final Map<Long, OutboundVote> voteCalls = new HashMap<>();
  private long nextToken = 1;
  private long nextCall = 1;

  SimNode(long id, CoreConfig config, long seed, SimClock clock, SimNetwork network, Invariants invariants, Trace trace,
      SimDisk disk, long tickMs, long rpcTimeoutMs, long proposalTimeoutMs) {
    this.id = id;
    this.config = config;
    this.seed = seed;
    this.clock = clock;
    this.network = network;
    this.invariants = invariants;
    this.trace = trace;
    this.disk = disk;
    this.tickMs = tickMs;
    this.rpcTimeoutMs = rpcTimeoutMs;
    this.proposalTimeoutMs = proposalTimeoutMs;
    network.attach(id, this::receive);
  }

  /** Starts (or restarts) the node from what its disk holds. */
  void start() {
    up = true;
    incarnation++;
    core = new RaftCore(config, id, disk.durableVote(), disk.durableLog(), new Random(seed * 1_000_003L + id * 7919L + incarnation));
    stateMachine = new KvStateMachine();
    invariants.started(this);
    trace.add(clock.now(), id, "start #" + incarnation + " from disk: " + disk.durableVote() + ", " + disk.durableLog().size() + " entries");
    int inc = incarnation;
    clock.after(1 + (id * 3 + incarnation) % tickMs, () -> tick(inc));
  }

  /** kill -9: memory is gone, unsynced writes are lost, callers learn nothing more. */
  void crash() {
    if (!up) return;
    trace.add(clock.now(), id, "crash with " + disk.pendingWrites() + " writes pending");
    up = false;
    incarnation++;
    disk.crash();
    List<Consumer<Reply>> orphans = new ArrayList<>();
    byToken.values().forEach(w -> orphans.add(w.reply()));
    byIndex.values().forEach(a -> orphans.add(a.reply()));
    byToken.clear();
    byIndex.clear();
    batch = new ArrayList<>();
    inbound.clear();
    appendCalls.clear();
    voteCalls.clear();
    core = null;
    stateMachine = null;
    pausedUntil = 0;
    invariants.crashed(this);
    orphans.forEach(r -> r.accept(new Reply.Unknown("node " + id + " crashed")));
  }

  void pause(long untilMs) {
    if (up) pausedUntil = Math.max(pausedUntil, untilMs);
  }

  private boolean paused() {
    return clock.now() < pausedUntil;
  }

  /** Runs {@code work} now, or when the node resumes if it is frozen; nothing if it crashes meanwhile. */
  private void whenRunning(int inc, Runnable work) {
    if (!up || inc != incarnation) return;
    if (paused()) {
      clock.after(pausedUntil - clock.now(), () -> whenRunning(inc, work));
      return;
    }
    work.run();
  }

  private void tick(int inc) {
    whenRunning(inc, () -> {
      step(Event.Tick.INSTANCE);
      expireProposals();
      clock.after(tickMs, () -> tick(inc));
    });
  }

  /** A client command arriving at this node; {@code reply} hears the outcome exactly once. */
  void submit(byte[] command, Consumer<Reply> reply) {
    if (!up) {
      reply.accept(new Reply.Refused());
      return;
    }
    int inc = incarnation;
    whenRunningOrUnknown(inc, reply, () -> {
      long token = nextToken++;
      byToken.put(token, new Waiting(reply, clock.now() + proposalTimeoutMs));
      if (batch.isEmpty()) clock.after(0, () -> whenRunning(inc, this::flush));
      batch.add(new Event.Proposal(token, new EntryPayload.Normal(command)));
    });
  }

  private void whenRunningOrUnknown(int inc, Consumer<Reply> reply, Runnable work) {
    if (!paused()) {
      work.run();
      return;
    }
    // The request waits in the frozen process; if the node dies meanwhile the client never hears why.
    clock.after(pausedUntil - clock.now(), () -> {
      if (up && inc == incarnation) whenRunningOrUnknown(inc, reply, work);
      else reply.accept(new Reply.Unknown("node " + id + " died while its request waited"));
    });
  }

  private void flush() {
    if (batch.isEmpty()) return;
    List<Event.Proposal> proposals = batch;
    batch = new ArrayList<>();
    step(new Event.Propose(proposals));
  }

  private void receive(long from, SimMessage message) {
    whenRunning(incarnation, () -> {
      if (message instanceof SimMessage.VoteCall c) {
        long token = nextToken++;
        inbound.put(token, new Inbound(from, c.incarnation(), c.callId(), true));
        step(new Event.VoteRequestReceived(token, c.request()));
      } else if (message instanceof SimMessage.AppendCall c) {
        long token = nextToken++;
        inbound.put(token, new Inbound(from, c.incarnation(), c.callId(), false));
        step(new Event.AppendEntriesReceived(token, c.request()));
      } else if (message instanceof SimMessage.VoteAnswer a) {
        OutboundVote call = a.incarnation() == incarnation ? voteCalls.remove(a.callId()) : null;
        if (call != null) step(new Event.VoteResponseReceived(call.to(), call.request(), a.response()));
      } else if (message instanceof SimMessage.AppendAnswer a) {
        OutboundAppend call = a.incarnation() == incarnation ? appendCalls.remove(a.callId()) : null;
        if (call != null) step(new Event.AppendEntriesResponseReceived(call.to(), call.rpcId(), call.request(), a.response()));
      }
    });
  }

  /** One core step, its actions carried out as NodeRuntime does, and every invariant checked. */
  private void step(Event event) {
    trace.add(clock.now(), id, event);
    List<Action> actions = core.step(event);
    invariants.afterStep(this, actions);
    int inc = incarnation;
    for (Action action : actions) {
      if (action.awaitsPriorPersistence()) disk.afterPendingWrites(() -> whenRunning(inc, () -> execute(action)));
      else execute(action);
    }
  }

  private void execute(Action action) {
    if (action instanceof Action.PersistVote p) {
      disk.saveVote(p.vote());
    } else if (action instanceof Action.AppendToLog a) {
      int inc = incarnation;
      List<Entry> entries = a.entries();
      disk.append(a.truncateFrom(), entries, () -> {
        if (!entries.isEmpty()) whenRunning(inc, () -> step(new Event.LogPersisted(entries.get(entries.size() - 1).logId())));
      });
    } else if (action instanceof Action.SendVote v) {
      long callId = nextCall++;
      voteCalls.put(callId, new OutboundVote(v.to(), v.request()));
      network.send(id, v.to(), new SimMessage.VoteCall(incarnation, callId, v.request()));
      int inc = incarnation;
      clock.after(rpcTimeoutMs, () -> {
        if (inc == incarnation) voteCalls.remove(callId);
      });
    } else if (action instanceof Action.SendAppend s) {
      long callId = nextCall++;
      appendCalls.put(callId, new OutboundAppend(s.to(), s.rpcId(), s.request()));
      network.send(id, s.to(), new SimMessage.AppendCall(incarnation, callId, s.request()));
      int inc = incarnation;
      clock.after(rpcTimeoutMs, () -> whenRunning(inc, () -> {
        OutboundAppend call = appendCalls.remove(callId);
        if (call != null) step(new Event.AppendEntriesFailed(call.to(), call.rpcId(), call.request()));
      }));
    } else if (action instanceof Action.ReplyVote r) {
      Inbound in = inbound.remove(r.token());
      if (in != null) network.send(id, in.from(), new SimMessage.VoteAnswer(in.incarnation(), in.callId(), r.response()));
    } else if (action instanceof Action.ReplyAppend r) {
      Inbound in = inbound.remove(r.token());
      if (in != null) network.send(id, in.from(), new SimMessage.AppendAnswer(in.incarnation(), in.callId(), r.response()));
    } else if (action instanceof Action.ApplyEntries a) {
      for (Entry e : a.entries()) apply(e);
    } else if (action instanceof Action.ProposalAccepted a) {
      Waiting w = byToken.remove(a.token());
      if (w != null) byIndex.put(a.logId().index(), new Accepted(a.logId(), w.reply(), w.deadline()));
    } else if (action instanceof Action.ProposalRejected r) {
      Waiting w = byToken.remove(r.token());
      if (w != null) w.reply().accept(new Reply.NotLeader(r.leaderHint()));
    } else {
      throw new IllegalStateException("unknown action " + action);
    }
  }

  private void apply(Entry entry) {
    byte[] result = entry.payload() instanceof EntryPayload.Normal n ? stateMachine.apply(entry.index(), n.data()) : null;
    invariants.applied(this, entry);
    Accepted accepted = byIndex.remove(entry.index());
    if (accepted == null) return;
    if (accepted.logId().equals(entry.logId())) accepted.reply().accept(new Reply.Applied(entry.index(), result));
    else accepted.reply().accept(new Reply.NotApplied());
  }

  private void expireProposals() {
    for (Iterator<Accepted> it = byIndex.values().iterator(); it.hasNext(); ) {
      Accepted a = it.next();
      if (a.deadline() <= clock.now()) {
        it.remove();
        a.reply().accept(new Reply.Unknown("proposal at " + a.logId() + " timed out on node " + id));
      }
    }
  }

  @Override
  public String toString() {
    if (!up) return "node " + id + " down";
    return "node " + id + " " + core.role().wireName() + " " + core.vote() + " last=" + core.lastLogId() + " commit="
        + core.commitIndex() + (paused() ? " paused" : "");
  }
}
