package io.raftnode.sim;

import io.raftnode.core.Action;
import io.raftnode.core.CoreConfig;
import io.raftnode.core.Event;
import io.raftnode.core.RaftCore;
import io.raftnode.model.AppendEntriesRequest;
import io.raftnode.model.Entry;
import io.raftnode.model.EntryPayload;
import io.raftnode.model.LogId;
import io.raftnode.model.Vote;
import io.raftnode.model.VoteRequest;
import io.raftnode.statemachine.KvStateMachine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

  final long id;
  private final CoreConfig config;
  private final long seed;
  final SimClock clock;
  private final SimNetwork network;
  private final Invariants invariants;
  private final Trace trace;
  final SimDisk disk;
  /** This node's tick period: each node's clock runs at its own constant rate (see Simulation#tickPeriods). */
  final long tickMs;
  final long rpcTimeoutMs;
  private final long proposalTimeoutMs;
  /** A deliberately broken node for the simulator's own tests: it serves every read from its local state at once. */
  final boolean sabotageReads;
  final SimStats stats;

  RaftCore core;
  KvStateMachine stateMachine;
  private SimProposals proposals;
  private SimReads reads;
  /** When this life began and how many ticks it has told the core of: the node's TickClock. */
  private long tickOrigin;
  private long ticksDelivered;
  boolean up;
  int incarnation;
  /** While the clock is before this, the node is frozen (a stopped process): nothing it would do happens yet. */
  long pausedUntil;

  private final Map<Long, Inbound> inbound = new HashMap<>();
  private final Map<Long, OutboundAppend> appendCalls = new HashMap<>();
  private final Map<Long, OutboundVote> voteCalls = new HashMap<>();
  private long nextToken = 1;
  private long nextCall = 1;

  SimNode(long id, CoreConfig config, long seed, SimClock clock, SimNetwork network, Invariants invariants, Trace trace,
      SimDisk disk, long tickMs, long rpcTimeoutMs, long proposalTimeoutMs, boolean sabotageReads, SimStats stats) {
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
    this.sabotageReads = sabotageReads;
    this.stats = stats;
    network.attach(id, this::receive);
  }

  /** Starts (or restarts) the node from what its disk holds. */
  void start() {
    up = true;
    incarnation++;
    core = new RaftCore(config, id, disk.durableVote(), disk.durableLog(), new Random(seed * 1_000_003L + id * 7919L + incarnation));
    stateMachine = new KvStateMachine();
    proposals = new SimProposals(this);
    reads = new SimReads(this);
    tickOrigin = clock.now();
    ticksDelivered = 0;
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
    List<Consumer<Reply>> orphans = new ArrayList<>(proposals.orphans());
    orphans.addAll(reads.orphans());
    inbound.clear();
    appendCalls.clear();
    voteCalls.clear();
    core = null;
    stateMachine = null;
    proposals = null;
    reads = null;
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
  void whenRunning(int inc, Runnable work) {
    if (!up || inc != incarnation) return;
    if (paused()) {
      clock.after(pausedUntil - clock.now(), () -> whenRunning(inc, work));
      return;
    }
    work.run();
  }

  /**
   * One firing of the tick timer, re-armed after each firing like the node's. {@code elapsed} is how many of this
   * node's tick periods really passed (TickClock): more than one after a pause, which shortens a lease.
   */
  private void tick(int inc) {
    if (up && inc == incarnation && paused()) {
      // As on a Netty event loop after a stall: the I/O that piled up is handled before the overdue timer fires.
      clock.after(pausedUntil - clock.now(), () -> clock.after(0, () -> tick(inc)));
      return;
    }
    whenRunning(inc, () -> {
      long total = (clock.now() - tickOrigin) / tickMs;
      long elapsed = Math.max(1, total - ticksDelivered);
      ticksDelivered += elapsed;
      step(new Event.Tick(elapsed));
      proposals.expire(clock.now());
      clock.after(tickMs, () -> tick(inc));
    });
  }

  /** A client command arriving at this node; {@code reply} hears the outcome exactly once. */
  void submit(byte[] command, Consumer<Reply> reply) {
    if (!up) {
      reply.accept(new Reply.Refused());
      return;
    }
    whenRunningOrUnknown(incarnation, reply, () -> proposals.submit(command, reply, clock.now() + proposalTimeoutMs));
  }

  /** A client Get: a lease read on the leader, or a linearizable read index; see {@link SimReads#read}. */
  void read(byte[] query, boolean lease, Consumer<Reply> reply) {
    if (!up) {
      reply.accept(new Reply.Refused());
      return;
    }
    whenRunningOrUnknown(incarnation, reply, () -> reads.read(query, lease, reply, proposalTimeoutMs));
  }

  /** An operator's TransferLeadership call on this node; the outcome only goes into the trace. */
  void transferLeadership(long target) {
    whenRunning(incarnation, () -> step(new Event.TransferLeadership(newToken(), target)));
  }

  long newToken() {
    return nextToken++;
  }

  void send(long to, SimMessage message) {
    network.send(id, to, message);
  }

  void trace(String what) {
    trace.add(clock.now(), id, what);
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
      } else if (message instanceof SimMessage.ReadIndexCall c) {
        reads.onReadIndexCall(from, c);
      } else if (message instanceof SimMessage.ReadIndexAnswer a) {
        reads.onReadIndexAnswer(a);
      } else if (message instanceof SimMessage.TransferCall t) {
        step(new Event.TransferLeaderReceived(newToken(), t.request()));
      }
    });
  }

  /** One core step, its actions carried out as NodeRuntime does, and every invariant checked. */
  void step(Event event) {
    trace.add(clock.now(), id, event);
    Vote before = core.vote();
    List<Action> actions = core.step(event);
    invariants.afterStep(this, event, before, actions);
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
    } else if (!proposals.execute(action) && !reads.execute(action)) {
      throw new IllegalStateException("unknown action " + action);
    }
  }

  private void apply(Entry entry) {
    byte[] result = entry.payload() instanceof EntryPayload.Normal n ? stateMachine.apply(entry.index(), n.data()) : null;
    invariants.applied(this, entry);
    proposals.applied(entry, result);
    reads.applied(entry.index());
  }

  @Override
  public String toString() {
    if (!up) return "node " + id + " down";
    return "node " + id + " " + core.role().wireName() + " " + core.vote() + " last=" + core.lastLogId() + " commit="
        + core.commitIndex() + (paused() ? " paused" : "");
  }
}
