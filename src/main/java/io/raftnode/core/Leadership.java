package io.raftnode.core;

import io.raftnode.model.AppendEntriesRequest;
import io.raftnode.model.AppendEntriesResponse;
import io.raftnode.model.Entry;
import io.raftnode.model.EntryPayload;
import io.raftnode.model.LogId;
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
 * their answers and moving the commit index (Raft §5.3). Created on election, dropped on stepping down.
 */
final class Leadership {

  private final CoreState s;
  private final Map<Long, Progress> peers = new TreeMap<>();
  private int heartbeatElapsed;

  Leadership(CoreState s) {
    this.s = s;
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
    for (EntryPayload p : payloads) entries.add(new Entry(LogId.of(s.term(), s.selfId, first + entries.size()), p));
    s.log.append(entries);
    s.emit(new Action.AppendToLog(0, entries));
    if (entries.stream().anyMatch(e -> e.payload() instanceof EntryPayload.MembershipChange)) {
      s.membershipMayHaveChanged();
      syncPeers(first);
    }
    return entries.stream().map(Entry::logId).toList();
  }

  /** Tracks exactly the members other than ourselves; a newcomer is probed from {@code nextForNew}. */
  private void syncPeers(long nextForNew) {
    Set<Long> members = new TreeSet<>(s.membership.nodes().keySet());
    members.addAll(s.membership.voterIds());
    members.remove(s.selfId);
    peers.keySet().retainAll(members);
    for (long id : members) peers.computeIfAbsent(id, k -> new Progress(nextForNew));
  }

  void tick() {
    if (++heartbeatElapsed < s.config.heartbeatTicks()) return;
    heartbeatElapsed = 0;
    for (Map.Entry<Long, Progress> e : peers.entrySet()) {
      Progress p = e.getValue();
      p.tickSnapshotBackoff();
      // A heartbeat asserts only what is known to match, so it always succeeds on a live follower (§5.2).
      sendAppend(e.getKey(), p.matchIndex(), List.of());
      p.unpause();
      replicate(e.getKey());
    }
  }

  void replicateAll() {
    for (long peer : peers.keySet()) replicate(peer);
  }

  /** Sends batches from nextIndex while the peer's state allows (one probe, or a bounded pipeline). */
  private void replicate(long peer) {
    Progress p = peers.get(peer);
    if (Snapshots.divert(s, peer, p)) return;
    while (p.canSend(s.config.maxInflightAppends()) && p.nextIndex() <= s.log.lastIndex()) {
      List<Entry> batch = s.log.slice(p.nextIndex(), s.config.maxEntriesPerAppend(), s.config.maxBytesPerAppend());
      long rpcId = sendAppend(peer, p.nextIndex() - 1, batch);
      p.sent(rpcId, batch.get(batch.size() - 1).index());
    }
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
    if (response instanceof AppendEntriesResponse.Success) {
      p.acknowledged(LogId.indexOf(sent.lastLogId()), true);
    } else if (response instanceof AppendEntriesResponse.PartialSuccess part) {
      p.acknowledged(LogId.indexOf(part.matching()), false);
      p.probeFrom(p.matchIndex() + 1);
    } else if (response instanceof AppendEntriesResponse.Conflict c) {
      // An answer to a request below what is known to match is stale: the logs agree there by now.
      if (LogId.indexOf(sent.prevLogId()) <= p.matchIndex()) return;
      p.probeFrom(backOff(c.hint(), sent.prevLogId()));
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
    s.commitTo(CommitRule.advance(s.log, s.membership, s.term(), matched, s.commitIndex));
  }
}
