package io.raftnode.sim;

import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.CoreConfig;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.core.RaftCore;
import io.raftnode.internal.core.Role;
import io.raftnode.internal.kv.KvStateMachine;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogOutline;
import io.raftnode.internal.model.MembershipCommand;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.Vote;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One simulated node: the production {@link RaftCore} and {@link KvStateMachine} driven the way NodeRuntime drives
 * them (actions executed in order, replies and vote requests held until every earlier disk write is durable,
 * proposals batched per turn, a proposal completing only when the entry applied at its index has its LogId), with
 * a {@link SimDisk} for storage and the {@link SimNetwork} for RPCs. A crash drops everything in memory; a restart
 * rebuilds the core from the durable vote, snapshot and log, the state machine restores the snapshot and replays
 * the rest as the commit index is relearned. The RPCs, proposals, reads and snapshots of one life are in
 * {@link SimRaftRpc}, {@link SimProposals}, {@link SimReads} and {@link SimSnapshots}.
 */
final class SimNode {

  final long id;
  private final CoreConfig config;
  private final long seed;
  final SimClock clock;
  private final SimNetwork network;
  final Invariants invariants;
  private final Trace trace;
  final SimDisk disk;
  /** This node's tick period: each node's clock runs at its own constant rate (see Simulation#fastestTickMs). */
  final long tickMs;
  final long rpcTimeoutMs;
  private final long proposalTimeoutMs;
  /** A deliberate bug, for the simulator's own tests (NONE in every real run). */
  final Simulation.Sabotage sabotage;
  final SimStats stats;
  private final SimSnapshots.Settings snapshotSettings;
  /** Makes the state machine of each life (a sabotaged one in the simulator's own tests). */
  java.util.function.Supplier<KvStateMachine> newStateMachine = KvStateMachine::new;
  /** Told when this node starts installing a leader's snapshot (the fault schedule may crash it then). */
  Consumer<SimNode> onInstall = n -> {};
  /** Told after each step in which this node leads with a joint membership (the fault schedule may crash it). */
  Consumer<SimNode> onJoint = n -> {};
  /** The machine is gone for good (its disk lost): it never starts again; the operator replaces it. */
  boolean retired;

  RaftCore core;
  KvStateMachine stateMachine;
  private SimRaftRpc rpc;
  private SimProposals proposals;
  private SimReads reads;
  private SimSnapshots snapshots;
  private SimMembershipCalls membershipCalls;
  /** When this life began and how many ticks it has told the core of: the node's TickClock. */
  private long tickOrigin;
  private long ticksDelivered;
  boolean up;
  int incarnation;
  /** While the clock is before this, the node is frozen (a stopped process): nothing it would do happens yet. */
  long pausedUntil;

  private long nextToken = 1;

  SimNode(long id, CoreConfig config, long seed, SimClock clock, SimNetwork network, Invariants invariants, Trace trace,
      SimDisk disk, long tickMs, long rpcTimeoutMs, long proposalTimeoutMs, Simulation.Sabotage sabotage, SimStats stats,
      SimSnapshots.Settings snapshotSettings) {
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
    this.sabotage = sabotage;
    this.stats = stats;
    this.snapshotSettings = snapshotSettings;
    network.attach(id, this::receive);
  }

  /** Starts (or restarts) the node from what its disk holds. */
  void start() {
    if (retired) return;
    up = true;
    incarnation++;
    SimDisk.Snapshot snapshot = disk.durableSnapshot();
    if (disk.alignWithSnapshot()) trace("the log did not reach snapshot " + snapshot.meta().lastLogId() + ": it now continues after it");
    // As the node starts: the ids of its log, no payloads; the core reads from disk the entries it needs.
    core = new RaftCore(config, id, disk.durableVote(), snapshot == null ? null : snapshot.meta(),
        LogOutline.of(disk.durableLog()), List.of(), new Random(seed * 1_000_003L + id * 7919L + incarnation));
    stateMachine = newStateMachine.get();
    if (snapshot != null) SimSnapshots.restore(stateMachine, snapshot.data());
    snapshots = new SimSnapshots(this, snapshotSettings, snapshot);
    rpc = new SimRaftRpc(this);
    proposals = new SimProposals(this);
    reads = new SimReads(this);
    membershipCalls = new SimMembershipCalls(this);
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
    List<Consumer<SimReply>> orphans = new ArrayList<>(proposals.orphans());
    orphans.addAll(reads.orphans());
    List<Consumer<Action>> membershipOrphans = membershipCalls.orphans();
    core = null;
    stateMachine = null;
    rpc = null;
    proposals = null;
    reads = null;
    snapshots = null;
    membershipCalls = null;
    pausedUntil = 0;
    invariants.crashed(this);
    orphans.forEach(r -> r.accept(new SimReply.Lost("node " + id + " crashed")));
    membershipOrphans.forEach(r -> r.accept(null));
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
   * One firing of the tick timer, re-armed after each firing like the node's, so firings are at least a period
   * apart. {@code elapsed} is how many of this node's tick periods passed and were not yet reported (TickClock):
   * more than one after a pause, which shortens a lease, none when a lease read just caught up.
   */
  private void tick(int inc) {
    if (up && inc == incarnation && paused()) {
      // As on a Netty event loop after a stall: the I/O that piled up is handled before the overdue timer fires.
      clock.after(pausedUntil - clock.now(), () -> clock.after(0, () -> tick(inc)));
      return;
    }
    whenRunning(inc, () -> {
      long elapsed = (clock.now() - tickOrigin) / tickMs - ticksDelivered;
      ticksDelivered += elapsed;
      step(new Event.Tick(elapsed));
      proposals.expire(clock.now());
      clock.after(tickMs, () -> tick(inc));
    });
  }

  /**
   * Delivers the ticks already due but not yet told to the core, as the node does before a lease read
   * (ClockCaughtUp): after a pause the overdue tick runs only after the requests that piled up.
   */
  void catchUpTicks() {
    long due = (clock.now() - tickOrigin) / tickMs - ticksDelivered;
    if (due <= 0) return;
    ticksDelivered += due;
    step(new Event.ClockCaughtUp(due));
  }

  /** A client command arriving at this node; {@code reply} hears the outcome exactly once. */
  void submit(byte[] command, Consumer<SimReply> reply) {
    if (!up) {
      reply.accept(new SimReply.Refused(id));
      return;
    }
    whenRunningOrUnknown(incarnation, reply, () -> proposals.submit(command, reply, clock.now() + proposalTimeoutMs));
  }

  /** A client Get: a lease read on the leader, or a linearizable read index; see {@link SimReads#read}. */
  void read(byte[] query, boolean lease, Consumer<SimReply> reply) {
    if (!up) {
      reply.accept(new SimReply.Refused(id));
      return;
    }
    whenRunningOrUnknown(incarnation, reply, () -> reads.read(query, lease, reply, proposalTimeoutMs));
  }

  /** An operator's TransferLeadership call on this node; the outcome only goes into the trace. */
  void transferLeadership(long target) {
    whenRunning(incarnation, () -> step(new Event.TransferLeadership(newToken(), target)));
  }

  /**
   * An operator's membership change (AdminService) on this node; {@code answer} hears the core's answer, or null
   * when the node is down or dies before answering (outcome unknown).
   */
  void changeMembership(MembershipCommand command, long expectedIndex, Consumer<Action> answer) {
    if (!up) {
      answer.accept(null);
      return;
    }
    int inc = incarnation;
    whenRunningOrUnknown(inc, r -> answer.accept(null), () -> membershipCalls.change(command, expectedIndex, answer));
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

  private void whenRunningOrUnknown(int inc, Consumer<SimReply> reply, Runnable work) {
    if (!paused()) {
      work.run();
      return;
    }
    // The request waits in the frozen process; if the node dies meanwhile the client never hears why.
    clock.after(pausedUntil - clock.now(), () -> {
      if (up && inc == incarnation) whenRunningOrUnknown(inc, reply, work);
      else reply.accept(new SimReply.Lost("node " + id + " died while its request waited"));
    });
  }

  private void receive(long from, SimMessage message) {
    whenRunning(incarnation, () -> {
      if (rpc.receive(from, message)) return;
      if (message instanceof SimMessage.ReadIndexCall c) {
        reads.onReadIndexCall(from, c);
      } else if (message instanceof SimMessage.ReadIndexAnswer a) {
        reads.onReadIndexAnswer(a);
      } else if (message instanceof SimMessage.SnapshotCall c) {
        snapshots.onCall(from, c);
      } else if (message instanceof SimMessage.SnapshotAnswer a) {
        snapshots.onAnswer(a);
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
    if (up && inc == incarnation && core.role() == Role.LEADER && core.membership().isJoint()) onJoint.accept(this);
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
    } else if (action instanceof Action.ApplyEntries a) {
      applyEntries(a.entries());
    } else if (action instanceof Action.ReadEntries r) {
      int inc = incarnation;
      if (r.forPeer() == 0) stats.diskReadsForApplying++;
      else stats.diskReadsForFollowers++;
      disk.read(r.from(), r.maxEntries(), r.maxBytes(),
          entries -> whenRunning(inc, () -> step(new Event.EntriesRead(r.readId(), r.forPeer(), r.from(), entries))),
          () -> stats.diskReadsRaced++);
    } else if (action instanceof Action.PeerLostLog lost) {
      invariants.peerLostLog(this, lost);
    } else if (!rpc.execute(action) && !proposals.execute(action) && !reads.execute(action) && !snapshots.execute(action)
        && !membershipCalls.execute(action)) {
      throw new IllegalStateException("unknown action " + action);
    }
  }

  void applyEntries(List<Entry> entries) {
    snapshots.apply(entries, this::apply);
  }

  /** The fault schedule asks for a snapshot now (AdminService.TakeSnapshot). */
  void takeSnapshot() {
    whenRunning(incarnation, () -> snapshots.take());
  }

  /** The state machine holds everything the core counts as applied (no snapshot install under way). */
  boolean stateMachineCaughtUp() {
    return up && !snapshots.installing();
  }

  void snapshotStored(SnapshotMeta meta, byte[] data) {
    stats.snapshotsTaken++;
    trace("took snapshot " + meta.snapshotId() + " (" + data.length + " bytes)");
    invariants.snapshot(this, meta, data, false);
  }

  void snapshotRestored(SnapshotMeta meta, byte[] data) {
    trace("installed snapshot " + meta.snapshotId() + " (" + data.length + " bytes)");
    invariants.snapshot(this, meta, data, true);
    reads.applied(meta.lastIndex());
  }

  private void apply(Entry entry) {
    byte[] result = entry.payload() instanceof EntryPayload.Normal n ? stateMachine.apply(entry.index(), n.data()) : null;
    invariants.applied(this, entry);
    proposals.applied(entry, result);
    reads.applied(entry.index());
  }

  @Override
  public String toString() {
    if (!up) return "node " + id + (retired ? " retired" : " down");
    return "node " + id + " " + core.role().wireName() + " " + core.vote() + " first=" + core.firstLogIndex() + " last="
        + core.lastLogId() + " commit=" + core.commitIndex()
        + (core.snapshot() != null ? " snapshot=" + core.snapshot().lastLogId() : "") + (paused() ? " paused" : "");
  }
}
