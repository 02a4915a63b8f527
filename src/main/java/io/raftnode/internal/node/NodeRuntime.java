package io.raftnode.internal.node;

import io.raftnode.Applied;
import io.raftnode.NodeConfig;
import io.raftnode.NodeStatus;
import io.raftnode.NotLeaderException;
import io.raftnode.ProposalFailedException;
import io.raftnode.ProposalRefusedException;
import io.raftnode.TransferFailedException;
import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.core.RaftCore;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.MembershipCommand;
import io.raftnode.internal.model.ReadIndexRequest;
import io.raftnode.internal.model.ReadIndexResponse;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import io.raftnode.internal.storage.StoredSnapshot;
import io.raftnode.internal.transport.AppendBuffer;
import io.raftnode.internal.transport.PeerTraffic;
import io.raftnode.internal.transport.RaftInbox;
import io.raftnode.statemachine.StateMachine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives one {@link RaftCore} on the node's event loop: turns RPCs, timers and finished disk writes into events,
 * and carries out the actions each step returns. Every method must be called on that event loop.
 */
public final class NodeRuntime implements RaftInbox {
  private static final Logger LOG = Logger.getLogger(NodeRuntime.class.getName());

  private final RaftCore core;
  private final StorageWorker storage;
  private final StateMachineRunner stateMachine;
  private final Snapshotting snapshots;
  private final PeerDirectory peers;
  private final LongSupplier clock;
  private final long proposalTimeoutMs;
  private final PendingCalls calls = new PendingCalls();
  private final PendingProposals proposals = new PendingProposals();
  private final CoreDriver driver;
  private final PeerExchange exchange;
  private final ReadsAndTransfers reads;
  private final MembershipRequests membership;
  private List<Event.Proposal> batch = new ArrayList<>();
  private Throwable failure;
  /** Set by {@link #stop}: calls made after it would wait for a core that no longer steps. */
  private boolean stopped;
  private String lastReportedRole = "";
  /** The memberships the peers were last pruned for (compared by identity: each change is a new object). */
  private Membership prunedFor;
  private Membership prunedForCommitted;
  private long lastLeaderSeen;
  private final NodeMetrics metrics;
  private final ProposalBudget budget;
  private final AppendBuffer appendBuffer;
  private boolean leading;
  /** Told after each step (the embedding API's change listeners). */
  private Runnable afterEachStep = () -> {};
  private final LongWork work;
  /** Reads answered (Status.reads_served); a query may complete off the loop, hence an adder. */
  private final LongAdder readsServed = new LongAdder();

  public NodeRuntime(RaftCore core, StorageWorker storage, StateMachine stateMachine, Context context, PeerDirectory peers,
      LongSupplier clock, long proposalTimeoutMs, SnapshotSetup snapshotSetup, NodeMetrics metrics) {
    this(core, storage, stateMachine, context, peers, clock, proposalTimeoutMs, snapshotSetup, metrics,
        NodeConfig.Limits.DEFAULTS);
  }

  /** @param limits the flow-control bounds ({@link ProposalBudget}, {@link AppendBuffer}) */
  public NodeRuntime(RaftCore core, StorageWorker storage, StateMachine stateMachine, Context context, PeerDirectory peers,
      LongSupplier clock, long proposalTimeoutMs, SnapshotSetup snapshotSetup, NodeMetrics metrics,
      NodeConfig.Limits limits) {
    this.core = core;
    this.budget = new ProposalBudget(limits.maxPendingProposalBytes());
    this.appendBuffer = new AppendBuffer(limits.maxPendingAppendBytes());
    this.metrics = metrics;
    this.storage = storage;
    this.driver = new CoreDriver(core::step, storage::lastWrite, this::execute, this::fail, this::afterStep);
    this.stateMachine = new StateMachineRunner(stateMachine, context, "raftnode-" + core.selfId() + "-apply",
        e -> fail("the state machine failed", e), nanos -> metrics.apply.record(nanos, TimeUnit.NANOSECONDS));
    StoredSnapshot restored = snapshotSetup.latest();
    if (restored != null) this.stateMachine.restoredAt(restored.meta().lastLogId(), restored.meta().lastMembership());
    this.work = new LongWork(core.selfId(), clock);
    this.snapshots = new Snapshotting(core, snapshotSetup.settings(), snapshotSetup.files(), storage, this.stateMachine,
        peers, stateMachine.supportsSnapshots(), restored, calls, metrics, work);
    this.peers = peers;
    this.reads = new ReadsAndTransfers(core, peers, context, this::step, calls,
        restored == null ? 0 : restored.meta().lastIndex());
    this.snapshots.attach(this::step, this::fail, reads::applied);
    this.membership = new MembershipRequests(core, this::step, calls, context.owner(), proposalTimeoutMs);
    this.exchange = new PeerExchange(core, peers, this::step, calls, membership::toldRemoved);
    this.clock = clock;
    this.proposalTimeoutMs = proposalTimeoutMs;
  }

  public RaftCore core() {
    return core;
  }

  /** {@code observer} runs on this loop after every step of the core. */
  public void afterEachStep(Runnable observer) {
    this.afterEachStep = observer;
  }

  /** What the runtime needs for snapshots: settings, the files worker and the snapshot restored at startup. */
  public record SnapshotSetup(NodeConfig.Snapshots settings, SnapshotFiles files, StoredSnapshot latest) {}

  /** Receives Snapshot streams for this node. */
  Snapshotting snapshots() {
    return snapshots;
  }

  /** AdminService.TakeSnapshot: completes with the index the newest snapshot covers. */
  public Future<Long> takeSnapshot() {
    if (failure != null) return Future.failedFuture(unavailable());
    return snapshots.take();
  }

  /**
   * AdminService.SaveSnapshot: with {@code fresh}, a snapshot covering the commit index confirmed now (the read
   * index), taken once it is applied; else the newest one.
   */
  public Future<SnapshotDownload> openSnapshot(boolean fresh) {
    if (failure != null) return Future.failedFuture(unavailable());
    if (!fresh) return snapshots.openLatest();
    return readIndex().compose(index -> reads.awaitApplied(index).compose(v -> snapshots.takeCovering(index)))
        .compose(covered -> snapshots.openLatest());
  }

  /** One timer firing that stands for {@code elapsed} ticks of real time (see {@link TickClock}). */
  public void tick(long elapsed) {
    step(new Event.Tick(elapsed));
    proposals.expire(clock.getAsLong(), proposalTimeoutMs);
    work.tick(core::peerProgress, LogId.indexOf(core.lastLogId()));
  }

  /** Ticks of real time that passed while the timer was overdue, handed over before a lease read. */
  public void clockCaughtUp(long elapsed) {
    step(new Event.ClockCaughtUp(elapsed));
  }

  /**
   * Queues a command; every proposal made in one event-loop turn is handed to the core as one batch (one log
   * append, one AppendEntries per peer).
   */
  public Future<Applied> propose(byte[] command, Runnable scheduleFlush) {
    if (failure != null || stopped) return Future.failedFuture(unavailable());
    ProposalBudget.Reservation reservation = budget.admit(command.length + NodeConfig.Limits.PROPOSAL_OVERHEAD_BYTES);
    if (reservation == null) {
      metrics.proposalsRefusedPendingBytes.increment();
      return Future.failedFuture(new ProposalRefusedException(budget.held(), budget.bound(), ProposalBudget.RETRY_AFTER_MS));
    }
    Promise<Applied> promise = Promise.promise();
    long token = calls.add(promise);
    if (batch.isEmpty()) scheduleFlush.run();
    batch.add(new Event.Proposal(token, new EntryPayload.Normal(command)));
    return promise.future().onComplete(done -> budget.release(reservation))
        .onFailure(e -> metrics.proposalsFailed.increment());
  }

  /** Completes once the bytes held for proposals leave room for more (see {@link ProposalBudget#room()}). */
  public Future<Void> proposalRoom() {
    return budget.room();
  }

  public void flushProposals() {
    if (batch.isEmpty()) return;
    List<Event.Proposal> toSend = batch;
    batch = new ArrayList<>();
    step(new Event.Propose(toSend));
  }

  /** See {@link ReadsAndTransfers#readIndex()}. */
  public Future<Long> readIndex() {
    metrics.readIndexRequests.increment();
    Future<Long> index = failure != null ? Future.failedFuture(unavailable()) : reads.readIndex();
    return index.onFailure(e -> metrics.readIndexFailed.increment());
  }

  /** A lease read index (thesis §6.4.1): answered at once by a leader whose lease holds. */
  public Future<Long> leaseReadIndex() {
    metrics.leaseReads.increment();
    return failure != null ? Future.failedFuture(unavailable()) : reads.leaseReadIndex();
  }

  /** Answers {@code query} once the state machine has applied {@code index}. */
  public Future<byte[]> queryAt(long index, byte[] query) {
    return reads.awaitApplied(index).compose(v -> query(query));
  }

  /** Hands leadership to {@code target} (0 = the most up-to-date voter); completes with the new leader's id. */
  public Future<Long> transferLeadership(long target) {
    return failure != null ? Future.failedFuture(unavailable()) : reads.transferLeadership(target);
  }

  /**
   * Changes the members (see {@link MembershipRequests#change}); completes once the change is committed with the
   * membership in force and its entry's id.
   */
  public Future<StoredMembership> changeMembership(MembershipCommand command, long expectedIndex) {
    if (failure != null) return Future.failedFuture(unavailable());
    return membership.change(command, expectedIndex);
  }

  @Override
  public Future<Void> onTransferLeader(TransferLeaderRequest request) {
    return failure != null ? Future.failedFuture(unavailable()) : reads.onTransferLeader(request);
  }

  @Override
  public Future<ReadIndexResponse> onReadIndex(ReadIndexRequest request) {
    return failure != null ? Future.failedFuture(unavailable()) : reads.onReadIndex(request);
  }

  @Override
  public Future<VoteResponse> onVote(VoteRequest request) {
    return failure != null ? Future.failedFuture(unavailable()) : exchange.onVote(request);
  }

  @Override
  public Future<AppendEntriesResponse> onAppendEntries(AppendEntriesRequest request) {
    return failure != null ? Future.failedFuture(unavailable()) : exchange.onAppendEntries(request);
  }

  @Override
  public PeerTraffic trafficFrom(long peer) {
    return metrics.traffic(peer);
  }

  @Override
  public AppendBuffer appendBuffer() {
    return appendBuffer;
  }

  @Override
  public Membership currentMembership() {
    return core.membership();
  }

  public Future<byte[]> query(byte[] query) {
    if (failure != null) return Future.failedFuture(unavailable());
    return stateMachine.query(query).onSuccess(answer -> readsServed.increment());
  }

  /**
   * The node's status; {@code tickMs} turns the leader's tick counts into milliseconds, {@code dataSizeBytes} is
   * the data dir's size measured off the loop.
   */
  public NodeStatus status(long tickMs, long dataSizeBytes) {
    Membership m = core.membership();
    List<Long> jointNew = m.isJoint() ? List.copyOf(m.configs().get(m.configs().size() - 1)) : List.of();
    return new NodeStatus(core.selfId(), core.role().wireName(), core.vote().term(), core.leaderId(),
        core.commitIndex(), core.appliedIndex(), LogId.indexOf(core.lastLogId()), snapshots.latestIndex(),
        List.copyOf(m.voterIds()), List.copyOf(m.learnerIds()), LogId.indexOf(core.membershipLogId()),
        List.copyOf(m.removed()), membership.removedFromCluster(), jointNew, membership.members(tickMs), work.view(),
        NodeVersion.current(), dataSizeBytes, readsServed.sum(),
        new NodeStatus.FlowControl(budget.held(), budget.bound(), appendBuffer.held(), appendBuffer.bound()));
  }

  /** The state the metrics and the health service show, taken now. */
  public NodeSample sample() {
    Map<Long, Long> matched = new TreeMap<>();
    core.peerProgress().forEach((id, progress) -> matched.put(id, progress.matchIndex()));
    return new NodeSample(core.role().wireName(), core.vote().term(), core.leaderId(),
        core.leaderHeardWithinElectionTimeout(), core.membership().learnerIds().contains(core.selfId()),
        core.commitIndex(), core.appliedIndex(), LogId.indexOf(core.lastLogId()), snapshots.latestIndex(),
        snapshots.latestBytes(), proposals.size() + batch.size(), budget.held(), matched);
  }

  /**
   * Fails every waiting call. What a proposal's client learns depends on how far it got: one still waiting by token
   * (queued, or in a step the core never finished) is in no log and fails UNAVAILABLE; one the core accepted may be
   * on followers and fails {@link ProposalFailedException#stopped()} (outcome unknown).
   */
  public void stop() {
    stopped = true;
    driver.stop();
    Throwable cause = unavailable();
    proposals.failAll();
    calls.failAll(cause);
    budget.releaseAll();
    reads.failAll(cause);
    snapshots.stop(cause);
    stateMachine.close();
  }

  /** Steps the core; from inside an action, after the actions before it (see {@link CoreDriver}). */
  private void step(Event event) {
    if (failure == null) driver.submit(event);
  }

  private void afterStep() {
    reportRoleChange();
    boolean leaderNow = core.role() == io.raftnode.internal.core.Role.LEADER;
    if (leading && !leaderNow) budget.releaseAll();
    leading = leaderNow;
    afterEachStep.run();
    Membership effective = core.membership();
    Membership committed = core.committedMembership();
    if (effective != prunedFor || committed != prunedForCommitted) {
      prunedFor = effective;
      prunedForCommitted = committed;
      peers.closeNonMembers();
      membership.forgetNonMembers();
    }
  }

  /** Logs each change of role, term or leader: the first thing an operator looks for. */
  private void reportRoleChange() {
    String now = core.role().wireName() + " in term " + core.vote().term()
        + (core.leaderId() == 0 ? ", no leader known" : ", leader " + core.leaderId());
    if (core.leaderId() != 0 && core.leaderId() != lastLeaderSeen) {
      lastLeaderSeen = core.leaderId();
      metrics.leaderChanges.increment();
    }
    if (!now.equals(lastReportedRole)) {
      lastReportedRole = now;
      LOG.info("node " + core.selfId() + " is " + now);
    }
  }

  /** Carries out one action: every action type is listed here, each handed to the part of the node that owns it. */
  private void execute(Action action) {
    if (action instanceof Action.PersistVote persist) {
      storage.saveVote(persist.vote()).onFailure(e -> fail("could not save the vote", e));
    } else if (action instanceof Action.AppendToLog append) {
      appendToLog(append);
    } else if (action instanceof Action.ApplyEntries apply) {
      apply(apply);
    } else if (action instanceof Action.ReadEntries read) {
      readEntries(read);
    } else if (action instanceof Action.ProposalAccepted accepted) {
      Promise<Applied> promise = calls.take(accepted.token());
      if (promise != null) proposals.accepted(accepted.logId(), promise, clock.getAsLong() + proposalTimeoutMs);
    } else if (action instanceof Action.ProposalRejected rejected) {
      metrics.proposalsRefusedNotLeader.increment();
      calls.fail(rejected.token(), new NotLeaderException(rejected.leaderHint()));
    } else if (action instanceof Action.SendVote send) {
      exchange.sendVote(send);
    } else if (action instanceof Action.SendAppend send) {
      exchange.sendAppend(send);
    } else if (action instanceof Action.ReplyVote reply) {
      calls.complete(reply.token(), reply.response());
    } else if (action instanceof Action.ReplyAppend reply) {
      calls.complete(reply.token(), reply.response());
    } else {
      executeReadOrSnapshot(action);
    }
  }

  private void executeReadOrSnapshot(Action action) {
    if (action instanceof Action.ReadIndexReady ready) {
      calls.complete(ready.token(), ready.index());
    } else if (action instanceof Action.ReadIndexFailed failed) {
      calls.fail(failed.token(), new NotLeaderException(failed.leaderHint()));
    } else if (action instanceof Action.SendTransferLeader send) {
      reads.sendTransferLeader(send);
    } else if (action instanceof Action.ReplyTransferLeader reply) {
      if (reply.error() == null) calls.complete(reply.token(), null);
      else calls.fail(reply.token(), new StatusException(GrpcStatus.FAILED_PRECONDITION, reply.error()));
    } else if (action instanceof Action.TransferRejected rejected) {
      calls.fail(rejected.token(), new NotLeaderException(rejected.leaderHint()));
    } else if (action instanceof Action.TransferCompleted completed) {
      calls.complete(completed.token(), completed.newLeader());
    } else if (action instanceof Action.TransferFailed failed) {
      calls.fail(failed.token(), new TransferFailedException(failed.reason()));
    } else if (action instanceof Action.PurgeLog purge) {
      snapshots.purge(purge);
    } else if (action instanceof Action.SendSnapshot send) {
      snapshots.send(send);
    } else if (action instanceof Action.RestoreSnapshot restore) {
      snapshots.restore(restore);
    } else if (action instanceof Action.ReplySnapshot reply) {
      snapshots.reply(reply);
    } else if (action instanceof Action.MembershipChanged changed) {
      membership.changed(changed);
    } else if (action instanceof Action.MembershipChangeFailed failed) {
      membership.failed(failed);
    } else if (action instanceof Action.PeerLostLog lost) {
      membership.lostLog(lost);
    } else {
      throw new IllegalStateException("unknown action " + action);
    }
  }

  /** Entries handed to the state machine hold their bytes in the append buffer until they applied. */
  private void apply(Action.ApplyEntries apply) {
    for (Entry entry : apply.entries()) appendBuffer.add(payloadBytes(entry));
    stateMachine.apply(apply.entries(), (entry, result) -> {
      appendBuffer.release(payloadBytes(entry));
      proposals.applied(entry, result);
      reads.applied(entry.index());
      snapshots.applied(entry.index(), payloadBytes(entry));
    });
    snapshots.afterApply(core.appliedIndex());
  }

  private static int payloadBytes(Entry entry) {
    return entry.payload() instanceof EntryPayload.Normal n ? n.data().length : 0;
  }

  /** Off the event loop on the storage's reader thread; the entries come back to the core as an event. */
  private void readEntries(Action.ReadEntries read) {
    storage.read(read.from(), read.maxEntries(), read.maxBytes()).onComplete((entries, err) -> {
      if (err != null) {
        if (!stopped) fail("could not read the log", err); // a read cut short by stopping is no failure
      } else {
        step(new Event.EntriesRead(read.readId(), read.forPeer(), read.from(), entries));
      }
    });
  }

  private void appendToLog(Action.AppendToLog append) {
    List<Entry> entries = append.entries();
    storage.append(append.truncateFrom(), entries).onComplete((v, err) -> {
      if (err != null) {
        fail("could not write the log", err);
      } else if (!entries.isEmpty()) {
        step(new Event.LogPersisted(entries.get(entries.size() - 1).logId()));
      }
    });
  }

  /**
   * A disk write failed or the core broke an invariant: the node can no longer promise anything, so it stops
   * taking part (answers UNAVAILABLE) rather than risk acknowledging what it did not store.
   */
  private void fail(String what, Throwable cause) {
    if (failure != null) return;
    failure = cause;
    LOG.log(Level.SEVERE, "node " + core.selfId() + " stopped serving: " + what, cause);
    stop();
  }

  public boolean failed() {
    return failure != null;
  }

  private StatusException unavailable() {
    return new StatusException(GrpcStatus.UNAVAILABLE, failure == null
        ? "node " + core.selfId() + " is stopping"
        : "node " + core.selfId() + " has stopped serving after an internal failure: " + failure);
  }
}
