package io.raftnode.internal.core;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.Vote;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The state every handler of the core shares, with the few transitions they all need: changing the vote (always
 * persisted), stepping down, and handing committed entries to the state machine. Actions collect in {@link #out}
 * during one step.
 */
final class CoreState {

  final CoreConfig config;
  final long selfId;
  final RaftLog log;
  final ElectionTimer electionTimer;
  List<Action> out = new ArrayList<>();

  Vote vote;
  Role role;
  long leaderId;
  Membership membership;
  long commitIndex;
  long appliedIndex;
  /** Highest index of our own log known durable (LogPersisted), still in the log. */
  long durableIndex;
  /** Set while leader; null otherwise. */
  Leadership leadership;
  /** Set while collecting pre-votes or votes; null otherwise. */
  Candidacy candidacy;
  /**
   * Tick events seen: firings of the node's tick timer, at least a tick period apart. Timeouts that decide elections
   * count these, one per event however late it came, so a node whose event loop stalled waits longer, never shorter.
   */
  long ticks;
  /**
   * Ticks of real time elapsed (what {@link Event.Tick} and {@link Event.ClockCaughtUp} reported), never ahead of
   * real time: a leader's lease is measured in these.
   */
  long clock;
  /** {@link #ticks} when the leader we follow was last heard from; the period then under way ends with the next Tick. */
  long lastLeaderContact;
  /** The latest snapshot the node holds (taken or installed); null when it has none. See {@link Snapshots}. */
  SnapshotMeta snapshot;
  private long lastRpcId;

  CoreState(CoreConfig config, long selfId, Vote vote, SnapshotMeta snapshot, RaftLog log, Random random) {
    this.config = config;
    this.selfId = selfId;
    this.vote = vote;
    this.snapshot = snapshot;
    this.log = log;
    this.commitIndex = log.baseIndex();
    this.appliedIndex = log.baseIndex();
    this.durableIndex = log.lastIndex();
    this.electionTimer = new ElectionTimer(config.electionTicksMin(), config.electionTicksMax(), random);
    this.membership = log.membership();
    this.role = passiveRole();
  }

  void emit(Action action) {
    out.add(action);
  }

  long term() {
    return vote.term();
  }

  long nextRpcId() {
    return ++lastRpcId;
  }

  /** The id the next request will get: ids only grow, so an answer to an id >= this was sent after now. */
  long peekRpcId() {
    return lastRpcId + 1;
  }

  /**
   * Thesis §9.6 stickiness: a leader, and a follower that heard from its leader less than the minimum election
   * timeout ago, believe a leader is alive and refuse to help anyone replace it. The refusal ends at the min-th Tick
   * after the contact, more than (min - 1) tick periods after it; a leader's lease relies on that (see {@link Lease}).
   */
  boolean heardFromLeaderRecently() {
    if (role == Role.LEADER) return true;
    return leaderId != 0 && ticks - lastLeaderContact < config.electionTicksMin();
  }

  /**
   * Set when a member refused our vote request because it knows this node was removed. Ids are never reused, so
   * that is final for this process; after a restart the next refusal says so again.
   */
  boolean removedFromCluster;

  boolean isVoter() {
    return !removedFromCluster && membership.isVoter(selfId);
  }

  /** The role of a node that is not leading: only voters may stand for election. */
  Role passiveRole() {
    return isVoter() ? Role.FOLLOWER : Role.LEARNER;
  }

  /** Replaces the vote; every change is made durable before any reply that depends on it. */
  void updateVote(Vote next) {
    if (next.equals(vote)) return;
    vote = next;
    emit(new Action.PersistVote(next));
  }

  /** Drops leader or candidate state and follows {@code leader} (0 = not known yet). */
  void becomePassive(long leader) {
    role = passiveRole();
    leaderId = leader;
    abandonLeadership();
    candidacy = null;
    electionTimer.reset();
  }

  /** Ends a term of office, if any: reads waiting for it to be confirmed fail, pointing at {@link #leaderId}. */
  void abandonLeadership() {
    Leadership ending = leadership;
    leadership = null;
    if (ending != null) ending.abandon();
  }

  /** A higher term was seen (§5.1): adopt it with no vote cast and become follower. */
  void stepDown(long newTerm) {
    updateVote(Vote.of(newTerm, 0, false));
    becomePassive(0);
  }

  /** The membership may have changed with the log: re-read it and keep the role consistent with it. */
  void membershipMayHaveChanged() {
    membership = log.membership();
    if (role == Role.FOLLOWER || role == Role.LEARNER) role = passiveRole();
  }

  /** Cuts the log at {@code from}; committed entries are never taken back (§5.4 Leader Completeness). */
  void truncateFrom(long from) {
    if (from <= commitIndex)
      throw new IllegalStateException("truncating at " + from + " would remove committed index " + commitIndex);
    log.truncateFrom(from);
    durableIndex = Math.min(durableIndex, from - 1);
  }

  /** Our own log holds {@code upTo} durably; ignored when a truncation has since replaced it. */
  void persisted(LogId upTo) {
    if (upTo != null && log.holds(upTo)) durableIndex = Math.max(durableIndex, upTo.index());
  }

  /** Raises commitIndex (never beyond what the log holds) and hands newly committed entries out in order. */
  void commitTo(long index) {
    long target = Math.min(index, log.lastIndex());
    if (target <= commitIndex) return;
    commitIndex = target;
    applyCommitted();
  }

  /**
   * The read under way of committed entries that are no longer in memory (after a restart the log's payloads are
   * on disk only), 0 when none: at most one, so entries are handed out strictly in order and exactly once.
   */
  private long applyReadId;

  /**
   * Hands out the committed entries after {@link #appliedIndex}: at once from memory, else through a disk read
   * whose result ({@link #onApplyRead}) continues from there.
   */
  void applyCommitted() {
    if (appliedIndex >= commitIndex || applyReadId != 0) return;
    long from = appliedIndex + 1;
    if (!log.inMemory(from)) {
      applyReadId = nextRpcId();
      emit(new Action.ReadEntries(applyReadId, 0, from, config.maxEntriesPerAppend(), config.maxBytesPerAppend()));
      return;
    }
    apply(log.range(from, commitIndex));
  }

  /** Entries read for applying; a result that a snapshot install overtook (or any stale one) is dropped. */
  void onApplyRead(long readId, long from, List<Entry> read) {
    if (readId != applyReadId) return;
    applyReadId = 0;
    if (from == appliedIndex + 1) {
      List<Entry> held = log.stillHeld(from, read);
      apply(held.subList(0, (int) Math.max(0, Math.min(held.size(), commitIndex - appliedIndex))));
    }
    applyCommitted();
  }

  private void apply(List<Entry> entries) {
    if (entries.isEmpty()) return;
    appliedIndex = entries.get(entries.size() - 1).index();
    emit(new Action.ApplyEntries(entries));
  }

  /** Lets the log forget payloads that are durable and handed out for applying, beyond its byte bound. */
  void evictFromMemory() {
    log.evictUpTo(Math.min(durableIndex, appliedIndex), config.logCacheBytes());
  }

  List<Action> drain() {
    List<Action> done = out;
    out = new ArrayList<>();
    return done;
  }
}
