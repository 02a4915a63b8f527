package io.raftnode.internal.core;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LeaderId;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A leader's term of office: appending proposals, replicating to every other member (voters and learners), handling
 * their answers and moving the commit index (Raft §5.3), confirming reads (thesis §6.4) and stepping down when a
 * quorum stops answering (check-quorum, thesis §6.2). Created on election, dropped on stepping down.
 */
final class Leadership {

  private final CoreState s;
  private final Map<Long, Progress> peers = new TreeMap<>();
  private final ReadRounds reads = new ReadRounds();
  private final Lease lease;
  private int heartbeatElapsed;

  Leadership(CoreState s) {
    this.s = s;
    this.lease = new Lease(s);
    syncPeers(s.log.lastIndex() + 1);
  }

  Map<Long, Progress> peers() {
    return Collections.unmodifiableMap(peers);
  }

  /** Takes office: the blank entry of the new term lets earlier entries commit (§5.4.2, thesis §6.4). */
  void start() {
    append(List.of(EntryPayload.Blank.INSTANCE));
    replicateAll();
    advanceCommit();
  }

  /** Appends payloads as one batch at the end of the log and returns their ids. */
  List<LogId> append(List<EntryPayload> payloads) {
    long first = s.log.lastIndex() + 1;
    List<Entry> entries = new ArrayList<>(payloads.size());
    // One LeaderId for the batch: every entry a leader keeps in memory would otherwise carry its own copy.
    LeaderId self = new LeaderId(s.term(), s.selfId);
    for (EntryPayload p : payloads) entries.add(new Entry(new LogId(self, first + entries.size()), p));
    s.log.append(entries);
    s.emit(new Action.AppendToLog(0, entries));
    if (entries.stream().anyMatch(e -> e.payload() instanceof EntryPayload.MembershipChange)) {
      s.membershipMayHaveChanged();
      syncPeers(first);
    }
    return entries.stream().map(Entry::logId).toList();
  }

  /**
   * Tracks the members other than ourselves: those of the effective membership, and those of the committed one
   * until the change that drops them commits, so that a node leaving the cluster still learns that it left. A
   * newcomer is probed from {@code nextForNew}.
   */
  void syncPeers(long nextForNew) {
    Set<Long> members = new TreeSet<>(s.membership.nodes().keySet());
    members.addAll(s.membership.voterIds());
    Membership committed = s.log.membershipAt(s.commitIndex);
    members.addAll(committed.nodes().keySet());
    members.addAll(committed.voterIds());
    members.remove(s.selfId);
    peers.keySet().retainAll(members);
    for (long id : members) peers.computeIfAbsent(id, k -> new Progress(nextForNew, s.ticks));
  }

  /** The clock moved without a Tick: requests from now on are sent at the new time. */
  void clockMoved() {
    lease.clockMoved();
  }

  void tick() {
    lease.clockMoved();
    if (!quorumHeardRecently()) {
      s.becomePassive(0); // check-quorum: a leader cut off from a majority stops serving (thesis §6.2)
      return;
    }
    if (++heartbeatElapsed < s.config.heartbeatTicks()) return;
    heartbeatElapsed = 0;
    heartbeat();
  }

  /** A majority of every config (ourselves included) answered within the last maximum election timeout. */
  private boolean quorumHeardRecently() {
    Set<Long> live = new TreeSet<>();
    live.add(s.selfId);
    peers.forEach((id, p) -> {
      if (s.ticks - p.lastHeard() < s.config.electionTicksMax()) live.add(id);
    });
    return s.membership.isQuorum(live);
  }

  /**
   * The heartbeat interval is also the retry clock: it counts down a failed snapshot transfer's backoff and lets a
   * peer whose request failed be sent entries again.
   */
  private void heartbeat() {
    for (Map.Entry<Long, Progress> e : peers.entrySet()) {
      Progress p = e.getValue();
      p.tickSnapshotBackoff();
      sendHeartbeat(e.getKey(), p);
      p.unpause();
      replicate(e.getKey());
    }
  }

  /**
   * A round that only proves we still lead: an empty AppendEntries to every peer that answered since its last
   * failure. It leaves the retry state alone, and a peer whose request failed hears again only from the heartbeat,
   * so that read load adds no retries, probes or calls to a peer that is down (its answer to the heartbeat brings
   * it back into the rounds).
   */
  private void confirmLeadership() {
    peers.forEach((peer, p) -> {
      if (!p.failing()) sendHeartbeat(peer, p);
    });
  }

  /** A heartbeat asserts only what is known to match, so it always succeeds on a live follower (§5.2). */
  private void sendHeartbeat(long peer, Progress p) {
    sendAppend(peer, p.matchIndex(), List.of());
  }

  /**
   * Linearizable reads (thesis §6.4): note the commit index, then confirm leadership with one round that all reads
   * of this call share. Until an entry of this term commits, the commit index may lag what earlier leaders
   * committed, so the reads wait for that first.
   */
  void readIndex(List<Long> tokens) {
    if (!committedInTerm()) {
      reads.awaitTermCommit(tokens);
      return;
    }
    reads.add(tokens, s.commitIndex, s.peekRpcId());
    confirmLeadership();
    reads.confirm(quorumRpcId(), s); // a single voter is its own quorum
  }

  /** A lease read is served at once while the lease holds, and confirmed like a read index otherwise. */
  void leaseRead(long token) {
    if (committedInTerm() && lease.holds(quorumRpcId())) {
      s.emit(new Action.ReadIndexReady(token, s.commitIndex));
    } else {
      readIndex(List.of(token));
    }
  }

  /** Once leadership may be handed over, followers may vote before the lease ends: it is never trusted again. */
  void forfeitLease() {
    lease.forfeit();
  }

  private boolean committedInTerm() {
    return s.log.termAt(s.commitIndex) == s.term();
  }

  /** The highest request id that a quorum answered; the leader counts as having answered everything. */
  private long quorumRpcId() {
    Map<Long, Long> acked = new HashMap<>();
    acked.put(s.selfId, Long.MAX_VALUE);
    peers.forEach((id, p) -> acked.put(id, p.ackedRpcId()));
    return Quorum.highest(s.membership, acked);
  }

  /** The voter other than us that holds most of our log (lowest id on a tie); 0 when there is none. */
  long mostUpToDateVoter() {
    long best = 0;
    long bestMatch = -1;
    for (Map.Entry<Long, Progress> e : peers.entrySet()) {
      if (s.membership.isVoter(e.getKey()) && e.getValue().matchIndex() > bestMatch) {
        best = e.getKey();
        bestMatch = e.getValue().matchIndex();
      }
    }
    return best;
  }

  long matchIndexOf(long peer) {
    Progress p = peers.get(peer);
    return p == null ? -1 : p.matchIndex();
  }

  /** The term of office ended. */
  void abandon() {
    reads.failAll(s);
  }

  void replicateAll() {
    for (long peer : peers.keySet()) replicate(peer);
  }

  /**
   * Sends batches from nextIndex while the peer's state allows (one probe, or a bounded pipeline). Entries no longer
   * in memory are read from disk first, one batch at a time ({@link #onEntriesRead} carries on).
   */
  private void replicate(long peer) {
    Progress p = peers.get(peer);
    if (Snapshots.divert(s, peer, p)) return;
    while (p.canSend(s.config.maxInflightAppends(), s.config.maxInflightBytes()) && p.nextIndex() <= s.log.lastIndex()) {
      if (!s.log.inMemory(p.nextIndex())) {
        long readId = s.nextRpcId();
        p.readRequested(readId);
        s.emit(new Action.ReadEntries(readId, peer, p.nextIndex(), s.config.maxEntriesPerAppend(),
            s.config.maxBytesPerAppend()));
        return;
      }
      send(peer, p, s.log.slice(p.nextIndex(), s.config.maxEntriesPerAppend(), s.config.maxBytesPerAppend()));
    }
  }

  private void send(long peer, Progress p, List<Entry> batch) {
    long rpcId = sendAppend(peer, p.nextIndex() - 1, batch);
    p.sent(rpcId, batch.get(batch.size() - 1).index(), RaftLog.payloadBytes(batch));
  }

  /**
   * Entries read from disk for {@code peer}. They go out if the peer still needs them from there and may be sent
   * to now, and only as far as our log still holds them; a read that found nothing usable waits for the next
   * heartbeat, so a disk that keeps failing to answer is not asked in a loop.
   */
  void onEntriesRead(long peer, long readId, long from, List<Entry> read) {
    Progress p = peers.get(peer);
    if (p == null || !p.readReturned(readId)) return;
    if (from != p.nextIndex() || Snapshots.divert(s, peer, p)) {
      replicate(peer);
      return;
    }
    List<Entry> held = s.log.stillHeld(from, read);
    if (held.isEmpty()) {
      p.pause();
      return;
    }
    if (p.canSend(s.config.maxInflightAppends(), s.config.maxInflightBytes())) send(peer, p, held);
    replicate(peer);
  }

  private long sendAppend(long peer, long prevIndex, List<Entry> entries) {
    long rpcId = s.nextRpcId();
    LogId commit = s.log.logIdAt(s.commitIndex);
    s.emit(new Action.SendAppend(peer, rpcId, new AppendEntriesRequest(s.vote, s.log.logIdAt(prevIndex), entries, commit)));
    return rpcId;
  }

  void onResponse(long from, long rpcId, AppendEntriesRequest sent, AppendEntriesResponse response) {
    Progress p = peers.get(from);
    if (p == null) return;
    p.settle(rpcId);
    // Any answer at our term, even a conflict, shows the peer still accepts us as leader.
    p.heard(s.ticks, rpcId);
    long confirmed = quorumRpcId();
    reads.confirm(confirmed, s);
    lease.confirmed(confirmed);
    if (response instanceof AppendEntriesResponse.Success) {
      p.acknowledged(LogId.indexOf(sent.lastLogId()), true);
    } else if (response instanceof AppendEntriesResponse.PartialSuccess part) {
      p.acknowledged(LogId.indexOf(part.matching()), false);
      p.probeFrom(p.matchIndex() + 1);
    } else if (response instanceof AppendEntriesResponse.Conflict c) {
      if (provesLostLog(sent, c)) {
        lostLog(from, p, LogId.indexOf(sent.prevLogId()), LogId.indexOf(c.hint()));
        return;
      }
      if (LogId.indexOf(sent.prevLogId()) <= p.matchIndex()) {
        // The logs agree up to matchIndex by now: the request overtook an earlier one and was refused. Nothing to
        // back off, but unless a later answer covered its entries, they were never stored and nextIndex is already
        // past them, so they must go again from just past what is known to match.
        if (LogId.indexOf(sent.lastLogId()) <= p.matchIndex()) return;
        p.probeFrom(p.matchIndex() + 1);
      } else {
        p.probeFrom(backOff(c.hint(), sent.prevLogId()));
      }
    } else {
      return; // HigherVote: the caller steps down before a response reaches the leader
    }
    replicate(from);
    advanceCommit();
  }

  /**
   * Where to probe next after a conflict. The follower's hint is its last entry with term <= prevLogId's term; our
   * largest index j <= hint.index whose term is <= hint.term is the best next guess, which skips a whole
   * conflicting term per round trip (§5.3, the optimisation the paper sketches; etcd's findConflictByTerm).
   */
  private long backOff(LogId hint, LogId prev) {
    if (hint == null) return LogId.indexOf(prev);
    long j = Math.min(hint.index(), s.log.lastIndex());
    while (j > 0 && s.log.termAt(j) > hint.term()) j--;
    return j + 1;
  }

  /**
   * A heartbeat names as its previous entry the peer's matchIndex when it was sent, which the peer had acknowledged
   * holding durably before then; a log never gives up entries of the current leader (§5.3). So a heartbeat refused
   * with a hint below its previous entry proves the peer's disk lost what it acknowledged. (An answer to a request
   * with entries proves nothing: it may have been decided before an acknowledgement that reached us first.)
   */
  private static boolean provesLostLog(AppendEntriesRequest sent, AppendEntriesResponse.Conflict c) {
    return sent.entries().isEmpty() && LogId.indexOf(c.hint()) < LogId.indexOf(sent.prevLogId());
  }

  /** Reported once; the peer gets no more entries (see {@link Progress#lostLog}). */
  private void lostLog(long peer, Progress p, long acknowledged, long holds) {
    if (p.hasLostLog()) return;
    p.lostLog(holds);
    s.emit(new Action.PeerLostLog(peer, acknowledged, holds));
  }

  void onFailed(long to, long rpcId) {
    Progress p = peers.get(to);
    if (p == null) return;
    p.settle(rpcId);
    p.failed();
  }

  /** Commit rule: our own durable index counts like a follower's matchIndex. */
  void advanceCommit() {
    Map<Long, Long> matched = new HashMap<>();
    matched.put(s.selfId, s.durableIndex);
    peers.forEach((id, p) -> matched.put(id, p.matchIndex()));
    LogId committedMembership = s.log.membershipLogIdAt(s.commitIndex);
    s.commitTo(CommitRule.advance(s.log, s.membership, s.term(), matched, s.commitIndex));
    if (!java.util.Objects.equals(committedMembership, s.log.membershipLogIdAt(s.commitIndex))) {
      syncPeers(s.log.lastIndex() + 1); // a change committed: the members it dropped are no longer replicated to
    }
    if (committedInTerm()) {
      List<Long> waiting = reads.takeAwaitingTermCommit();
      if (!waiting.isEmpty()) readIndex(waiting);
    }
  }
}
