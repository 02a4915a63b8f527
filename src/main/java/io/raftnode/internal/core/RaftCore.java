package io.raftnode.internal.core;

import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.LogOutline;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.Vote;
import java.util.List;
import java.util.Random;

/**
 * The Raft algorithm as a deterministic state machine: {@code step(event) -> actions}. No threads, no clock, no
 * I/O: time arrives as {@link Event.Tick}, randomness from the {@link Random} handed in, and every effect leaves as
 * an {@link Action} for the node to carry out. Not thread safe: one thread (the node's event loop) owns it.
 */
public final class RaftCore {

  private final CoreState s;
  private final Elections elections;
  private final AppendHandler appends;
  private final Transfers transfers;
  private final Snapshots snapshots;
  private final MembershipChanges membershipChanges;

  /**
   * @param config  tuning
   * @param selfId  this node's id (> 0)
   * @param vote    the durable vote restored from disk (Vote.INITIAL for a new node)
   * @param log     the durable log restored from disk, contiguous, in index order, starting at index 1
   * @param random  the only source of randomness (seeded in simulations)
   */
  public RaftCore(CoreConfig config, long selfId, Vote vote, List<Entry> log, Random random) {
    this(config, selfId, vote, null, log, random);
  }

  /**
   * A core restarting from a snapshot: {@code snapshot} (null = none) covers the log up to its last id, whose
   * state the node has already restored; {@code log} holds the entries after it (earlier ones are ignored).
   */
  public RaftCore(CoreConfig config, long selfId, Vote vote, SnapshotMeta snapshot, List<Entry> log, Random random) {
    this(config, selfId, vote, snapshot, snapshot == null ? new RaftLog(log)
        : new RaftLog(snapshot.lastLogId(), snapshot.lastMembership(), log), random);
  }

  /**
   * A core restarting from its log's outline: the ids of every entry after {@code snapshot} (null = none), and the
   * payloads only of {@code tail}, the log's last entries (possibly none). Entries it needs and does not hold, to
   * apply them or to send them to a follower, it asks the node to read ({@link Action.ReadEntries}).
   */
  public RaftCore(CoreConfig config, long selfId, Vote vote, SnapshotMeta snapshot, LogOutline outline,
      List<Entry> tail, Random random) {
    this(config, selfId, vote, snapshot, new RaftLog(snapshot == null ? null : snapshot.lastLogId(),
        snapshot == null ? null : snapshot.lastMembership(), outline, tail), random);
  }

  private RaftCore(CoreConfig config, long selfId, Vote vote, SnapshotMeta snapshot, RaftLog log, Random random) {
    if (selfId <= 0) throw new IllegalArgumentException("selfId must be > 0: " + selfId);
    this.s = new CoreState(config, selfId, vote, snapshot, log, random);
    this.elections = new Elections(s);
    this.appends = new AppendHandler(s);
    this.transfers = new Transfers(s, elections);
    this.snapshots = new Snapshots(s);
    this.membershipChanges = new MembershipChanges(s, transfers);
  }

  /** Handle one event and return what the node must do, in order. */
  public List<Action> step(Event event) {
    s.drain(); // a step that threw leaves nothing half-emitted behind for the next one
    if (event instanceof Event.Tick t) {
      tick(t.elapsed());
    } else if (event instanceof Event.ClockCaughtUp c) {
      s.clock += c.elapsed();
      if (s.leadership != null) s.leadership.clockMoved();
    } else if (event instanceof Event.Propose p) {
      propose(p.proposals());
    } else if (event instanceof Event.VoteRequestReceived r) {
      elections.onRequest(r.token(), r.request());
    } else if (event instanceof Event.VoteResponseReceived r) {
      elections.onResponse(r.from(), r.sent(), r.response());
    } else if (event instanceof Event.AppendEntriesReceived r) {
      appends.onRequest(r.token(), r.request());
    } else if (event instanceof Event.AppendEntriesResponseReceived r) {
      onAppendResponse(r);
    } else if (event instanceof Event.AppendEntriesFailed f) {
      if (isOwnCurrentRequest(f.sent().vote())) s.leadership.onFailed(f.to(), f.rpcId());
    } else if (event instanceof Event.LogPersisted p) {
      s.persisted(p.upTo());
      if (s.leadership != null) s.leadership.advanceCommit();
    } else if (event instanceof Event.EntriesRead r) {
      onEntriesRead(r);
    } else {
      stepReadsAndTransfers(event);
    }
    transfers.afterStep();
    membershipChanges.afterStep();
    s.evictFromMemory();
    return s.drain();
  }

  private void onEntriesRead(Event.EntriesRead r) {
    if (r.forPeer() == 0) s.onApplyRead(r.readId(), r.from(), r.entries());
    else if (s.leadership != null) s.leadership.onEntriesRead(r.forPeer(), r.readId(), r.from(), r.entries());
  }

  private void tick(long elapsed) {
    s.ticks++;
    s.clock += elapsed;
    transfers.tick();
    if (s.leadership != null) s.leadership.tick();
    else elections.tick();
  }

  private void stepReadsAndTransfers(Event event) {
    if (event instanceof Event.ReadIndex r) {
      if (s.leadership != null) s.leadership.readIndex(r.tokens());
      else r.tokens().forEach(token -> s.emit(new Action.ReadIndexFailed(token, s.leaderId)));
    } else if (event instanceof Event.LeaseRead r) {
      if (s.leadership != null) s.leadership.leaseRead(r.token());
      else s.emit(new Action.ReadIndexFailed(r.token(), s.leaderId));
    } else if (event instanceof Event.TransferLeadership t) {
      transfers.request(t.token(), t.target());
    } else if (event instanceof Event.TransferLeaderReceived t) {
      transfers.onTransferLeader(t.token(), t.request());
    } else if (event instanceof Event.ChangeMembership c) {
      membershipChanges.request(c.token(), c.command(), c.expectedIndex());
    } else if (event instanceof Event.RemovedFromCluster) {
      s.removedFromCluster = true;
      if (s.role != Role.LEADER) s.becomePassive(s.leaderId);
    } else {
      snapshots.step(event); // snapshot events: taken, sent, received
    }
  }

  private void propose(List<Event.Proposal> proposals) {
    if (proposals.isEmpty()) return;
    if (s.leadership == null || transfers.inProgress() || membershipChanges.leaderLeaving()) {
      for (Event.Proposal p : proposals) s.emit(new Action.ProposalRejected(p.token(), s.leaderId));
      return;
    }
    List<EntryPayload> payloads = proposals.stream().map(Event.Proposal::payload).toList();
    List<LogId> ids = s.leadership.append(payloads);
    for (int i = 0; i < proposals.size(); i++) s.emit(new Action.ProposalAccepted(proposals.get(i).token(), ids.get(i)));
    s.leadership.replicateAll();
  }

  private void onAppendResponse(Event.AppendEntriesResponseReceived r) {
    if (r.response() instanceof AppendEntriesResponse.HigherVote h) {
      if (h.vote().term() > s.term()) s.stepDown(h.vote().term()); // §5.1
      return;
    }
    if (isOwnCurrentRequest(r.sent().vote())) s.leadership.onResponse(r.from(), r.rpcId(), r.sent(), r.response());
  }

  /** Answers to requests of an earlier term, or that reach us after stepping down, no longer matter. */
  private boolean isOwnCurrentRequest(Vote sentWith) {
    return s.leadership != null && sentWith.term() == s.term();
  }

  public long selfId() {
    return s.selfId;
  }

  public Role role() {
    return s.role;
  }

  public Vote vote() {
    return s.vote;
  }

  /** The leader this node follows or is (0 = unknown). */
  public long leaderId() {
    return s.leaderId;
  }

  /**
   * Whether this node knows a live leader: it leads (check-quorum steps it down once a quorum is silent for the
   * maximum election timeout), or it heard from the leader it follows within the maximum election timeout.
   */
  public boolean leaderHeardWithinElectionTimeout() {
    if (s.role == Role.LEADER) return true;
    return s.leaderId != 0 && s.ticks - s.lastLeaderContact < s.config.electionTicksMax();
  }

  public long commitIndex() {
    return s.commitIndex;
  }

  /** Highest index handed to the node in {@link Action.ApplyEntries}. */
  public long appliedIndex() {
    return s.appliedIndex;
  }

  /** The last entry's id, or null for an empty log. */
  public LogId lastLogId() {
    return s.log.lastLogId();
  }

  /** The effective membership: the last membership entry in the log (empty when there is none). */
  public Membership membership() {
    return s.membership;
  }

  /** The entry at {@code index}, or null when it is not in memory (purged, past the end, or on disk only). */
  public Entry entryAt(long index) {
    return s.log.entryAt(index);
  }

  /** The id of the entry at {@code index} (the snapshot's last id at the log's base), or null; never reads. */
  public LogId logIdAt(long index) {
    return s.log.logIdAt(index);
  }

  /** The id of the log entry that carried the effective membership (null: none, a node not yet added). */
  public LogId membershipLogId() {
    return s.log.membershipLogId();
  }

  /**
   * The membership in force at the commit index. It differs from {@link #membership()} while a change is not yet
   * committed; a node the effective membership dropped stays reachable until the change that drops it commits.
   */
  public Membership committedMembership() {
    return s.log.membershipAt(s.commitIndex);
  }

  /** True once a member said this node was removed from the cluster (see {@link Event.RemovedFromCluster}). */
  public boolean removedFromCluster() {
    return s.removedFromCluster;
  }

  /** The leader's view of each peer it replicates to, by id; empty when not leading. */
  public java.util.Map<Long, PeerProgress> peerProgress() {
    if (s.leadership == null) return java.util.Map.of();
    java.util.Map<Long, PeerProgress> view = new java.util.TreeMap<>();
    s.leadership.peers().forEach((id, p) -> view.put(id, new PeerProgress(p.matchIndex(), p.state().name(),
        p.hasLostLog(), s.ticks - p.lastHeard())));
    return view;
  }

  /** The latest snapshot this node holds (taken or installed), or null. */
  public SnapshotMeta snapshot() {
    return s.snapshot;
  }

  /** What the log entries held in memory cost (payloads plus a fixed overhead each). */
  public long logBytesInMemory() {
    return s.log.bytesInMemory();
  }

  /** The first index whose entry is in memory (the last index + 1 when none is). */
  public long firstIndexInMemory() {
    return s.log.firstInMemory();
  }

  /** The first index the log still holds (1 when nothing was purged). */
  public long firstLogIndex() {
    return s.log.baseIndex() + 1;
  }

  /** The leader's view of a peer, or null when not leading or not a peer (for tests). */
  Progress progressOf(long peer) {
    return s.leadership == null ? null : s.leadership.peers().get(peer);
  }
}
