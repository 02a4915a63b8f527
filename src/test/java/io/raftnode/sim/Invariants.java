package io.raftnode.sim;

import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.core.Role;
import io.raftnode.internal.kv.KvCodec;
import io.raftnode.internal.kv.KvCommand;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.Vote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Raft's safety properties, checked after every step of every node (Raft paper Figure 3, plus what a client relies
 * on). Each check is incremental, so checking at every step stays cheap:
 *
 * <ul>
 *   <li>Election safety: at most one leader per term, over the whole run.</li>
 *   <li>Log matching: an entry id names one entry, and always the same predecessor; two logs holding the same id
 *       therefore agree on everything before it.</li>
 *   <li>Leader completeness: a leader of a term later than the one in which an entry was known committed holds it.</li>
 *   <li>State machine safety: no two nodes apply different entries at one index; entries apply in order, once.</li>
 *   <li>Committed entries are never lost or changed: every committed index keeps its entry, and enough voters keep
 *       it on durable storage that no membership still able to elect a leader can elect one without it (checked
 *       after every crash and at the end).</li>
 *   <li>No node is reported to have lost its log: the simulated disks lose only writes not yet durable, which no
 *       node acknowledged.</li>
 *   <li>Commit and applied indexes never go backwards within one life of a node.</li>
 *   <li>Pre-vote: answering a pre-vote changes neither the responder's term nor its vote, and writes nothing.</li>
 *   <li>Lease safety: a leader serves a lease read only while no later term has a leader.</li>
 *   <li>Single application: a write sent without a request id (its value unique in the run) is committed at one
 *       index at most. Clients resend such a write only when told it was not applied, so a second index means a
 *       failure was reported as "not applied" although the write went on to commit.</li>
 * </ul>
 */
final class Invariants {

  /** An entry known committed, and the term of the node that first saw it committed. */
  private record Committed(LogId id, long term) {}

  private final Map<Long, SimNode> nodes;
  /** The membership of the highest committed membership entry: the voters whose disks must keep the log. */
  private Membership committedMembership = Membership.empty();
  private long committedMembershipIndex;
  private final Map<Long, Long> leaderOfTerm = new HashMap<>();
  private final Map<LogId, Entry> entries = new HashMap<>();
  private final Map<LogId, LogId> predecessors = new HashMap<>();
  private final List<Committed> committed = new ArrayList<>();
  private final Map<Long, Long> appliedAt = new HashMap<>();
  private final Map<Long, Long> commitSeen = new HashMap<>();
  private final Map<Long, Long> appliedSeen = new HashMap<>();
  /** The term in which each node last took office and had its log checked for completeness. */
  private final Map<Long, Long> checkedLeaderTerm = new HashMap<>();
  private final Map<Long, LogId> appliedIds = new HashMap<>();
  private final Map<LogId, byte[]> snapshotData = new HashMap<>();
  /** The highest term that had a leader so far, and node starts (first starts and restarts) so far. */
  private long highestLedTerm;
  private long starts;
  /** {@link #starts} when each node last took office. */
  private final Map<Long, Long> startsAtOffice = new HashMap<>();
  /** The values of writes clients sent without a request id, and the index each first applied at. */
  private final Map<String, Long> withoutIdAppliedAt = new HashMap<>();
  long steps;

  Invariants(Map<Long, SimNode> nodes) {
    this.nodes = nodes;
  }

  /** Index of the highest entry known committed. */
  long committedIndex() {
    return committed.size();
  }

  void started(SimNode n) {
    starts++;
    commitSeen.put(n.id, n.core.commitIndex());
    appliedSeen.put(n.id, n.core.appliedIndex()); // what its snapshot covers
    checkedLeaderTerm.remove(n.id);
    // The core starts with the ids alone: each must name the entry its disk holds there.
    for (long i = n.core.firstLogIndex(); i <= LogId.indexOf(n.core.lastLogId()); i++) {
      Entry e = n.disk.durableEntry(i);
      if (e == null || !e.logId().equals(n.core.logIdAt(i)))
        fail("node " + n.id + " started with " + n.core.logIdAt(i) + " at index " + i + " where its disk holds " + e);
      checkEntry(n, e);
    }
  }

  /**
   * A snapshot taken ({@code installed} false) or installed: it covers only committed entries, and every snapshot
   * of one entry holds the same state: usually the same bytes (the state machine is deterministic and so is its
   * serialization), else the same content in another key order ({@link SnapshotContent}). An install moves the
   * applied index to the snapshot's, which the core only does forwards.
   */
  void snapshot(SimNode n, SnapshotMeta meta, byte[] data, boolean installed) {
    long index = meta.lastIndex();
    if (index > committed.size() || !committed.get((int) index - 1).id().equals(meta.lastLogId())) {
      fail("node " + n.id + " has a snapshot of " + meta.lastLogId() + ", which is not the committed entry at index " + index);
    }
    byte[] other = snapshotData.putIfAbsent(meta.lastLogId(), data);
    if (other != null && !Arrays.equals(other, data) && !SnapshotContent.sameState(other, data)) {
      fail("state machine safety: two snapshots of " + meta.lastLogId() + " differ (node " + n.id + ")");
    }
    if (installed) {
      if (index <= appliedSeen.get(n.id)) fail("node " + n.id + " installed " + meta.lastLogId() + " at or below its applied index");
      appliedSeen.put(n.id, index);
    }
  }

  void crashed(SimNode n) {
    checkDurable("after node " + n.id + " crashed");
  }

  /** After {@code n} handled {@code event}; {@code voteBefore} is its vote before. */
  void afterStep(SimNode n, Event event, Vote voteBefore, List<Action> actions) {
    steps++;
    if (event instanceof Event.VoteRequestReceived r && r.request().preVote()) checkPreVoteChangedNothing(n, voteBefore, actions);
    for (Action a : actions) {
      if (a instanceof Action.AppendToLog w) for (Entry e : w.entries()) checkEntry(n, e);
    }
    long term = n.core.vote().term();
    if (n.core.role() == Role.LEADER) {
      Long other = leaderOfTerm.putIfAbsent(term, n.id);
      if (other != null && other != n.id) fail("election safety: nodes " + other + " and " + n.id + " both lead term " + term);
      highestLedTerm = Math.max(highestLedTerm, term);
      if (!Objects.equals(checkedLeaderTerm.get(n.id), term)) {
        checkedLeaderTerm.put(n.id, term);
        startsAtOffice.put(n.id, starts);
        for (int i = 0; i < committed.size(); i++) {
          Committed c = committed.get(i);
          if (c.term() < term) requireHolds(n, i + 1, c, "took office");
        }
      }
    }
    long commit = n.core.commitIndex();
    long before = commitSeen.get(n.id);
    if (commit < before) fail("node " + n.id + " commit index went back from " + before + " to " + commit);
    for (long i = before + 1; i <= commit; i++) recordCommitted(n, i, term);
    commitSeen.put(n.id, commit);
    if (n.core.appliedIndex() < appliedSeen.get(n.id)) {
      fail("node " + n.id + " applied index went back from " + appliedSeen.get(n.id) + " to " + n.core.appliedIndex());
    }
  }

  /**
   * Thesis §6.4.1: {@code n} served a lease read without a round trip, which is right only while no other leader
   * can have been elected since its lease began, in particular none of a later term. A node that restarted while
   * {@code n} was in office is the documented limit of the lease (it forgot when it last heard from the leader and
   * may vote at once), so after a restart the check waits for the next term of office.
   */
  void leaseReadServed(SimNode n) {
    long term = n.core.vote().term();
    if (highestLedTerm > term && Objects.equals(startsAtOffice.get(n.id), starts)) {
      fail("lease: node " + n.id + " served a lease read in term " + term + " although term " + highestLedTerm
          + " already has a leader");
    }
  }

  /** Thesis §9.6: answering a pre-vote changes neither the term nor the vote, and persists nothing. */
  private void checkPreVoteChangedNothing(SimNode n, Vote before, List<Action> actions) {
    if (!n.core.vote().equals(before)) fail("pre-vote: node " + n.id + " changed its vote from " + before + " to " + n.core.vote());
    for (Action a : actions) {
      if (a instanceof Action.PersistVote || a instanceof Action.AppendToLog) fail("pre-vote: node " + n.id + " answering a pre-vote wrote " + a);
    }
  }

  /** A client sends a write of {@code value} without a request id: it must apply at one index at most. */
  void writtenWithoutId(String value) {
    withoutIdAppliedAt.putIfAbsent(value, 0L);
  }

  /** Called as the node feeds {@code e} to its state machine. */
  void applied(SimNode n, Entry e) {
    long last = appliedSeen.get(n.id);
    if (e.index() != last + 1) fail("node " + n.id + " applied index " + e.index() + " right after " + last);
    appliedSeen.put(n.id, e.index());
    if (e.index() > commitSeen.get(n.id)) fail("node " + n.id + " applied " + e.logId() + " beyond its commit index");
    if (e.index() > committed.size() || !committed.get((int) e.index() - 1).id().equals(e.logId())) {
      fail("node " + n.id + " applied " + e.logId() + " which is not the committed entry at index " + e.index());
    }
    LogId first = appliedIds.putIfAbsent(e.index(), e.logId());
    if (first != null && !first.equals(e.logId())) {
      fail("state machine safety: node " + n.id + " applied " + e.logId() + " at index " + e.index() + ", another node " + first);
    }
    if (first == null) checkAppliedOnce(e);
  }

  /** The first time any node applies index {@code e.index()}: a write without a request id there is new. */
  private void checkAppliedOnce(Entry e) {
    if (!(e.payload() instanceof EntryPayload.Normal normal)) return;
    KvCommand command = KvCodec.decodeCommand(normal.data());
    byte[] value = command instanceof KvCommand.Put put ? put.value()
        : command instanceof KvCommand.CompareAndSwap cas ? cas.newValue() : null;
    if (value == null || command.requestId() != null) return;
    String text = new String(value, StandardCharsets.UTF_8);
    Long earlier = withoutIdAppliedAt.get(text);
    if (earlier == null) return; // not sent as a write without an id (a sabotaged client stripped it)
    if (earlier != 0) {
      fail("applied twice: a write of \"" + text + "\" without a request id applied at index " + earlier + " and at "
          + e.index() + " (one of its attempts was reported not applied)");
    }
    withoutIdAppliedAt.put(text, e.index());
  }

  private void checkEntry(SimNode n, Entry e) {
    Entry known = entries.putIfAbsent(e.logId(), e);
    if (known != null && !known.equals(e)) fail("entry id " + e.logId() + " names two different entries: " + known + " and " + e);
    if (e.index() == 1) return;
    LogId prevId = n.core.logIdAt(e.index() - 1);
    if (prevId == null && n.core.snapshot() != null && n.core.snapshot().lastIndex() == e.index() - 1) {
      prevId = n.core.snapshot().lastLogId();
    }
    if (prevId == null) {
      if (e.index() - 1 < n.core.firstLogIndex()) return; // purged: its predecessor was checked when appended
      fail("node " + n.id + " holds " + e.logId() + " after a gap");
    }
    LogId knownPrev = predecessors.putIfAbsent(e.logId(), prevId);
    if (knownPrev != null && !knownPrev.equals(prevId)) {
      fail("log matching: node " + n.id + " holds " + e.logId() + " after " + prevId + ", another log after " + knownPrev);
    }
  }

  private void recordCommitted(SimNode n, long index, long term) {
    LogId id = index < n.core.firstLogIndex() ? null : n.core.logIdAt(index);
    if (id == null && index < n.core.firstLogIndex()) {
      // Learnt from a snapshot (or purged): its entry was recorded when some leader committed it.
      if (index > committed.size()) fail("node " + n.id + " commits index " + index + " from a snapshot before anyone committed it");
      return;
    }
    if (id == null) fail("node " + n.id + " commits index " + index + " beyond its log");
    if (index <= committed.size()) {
      Committed c = committed.get((int) index - 1);
      if (!c.id().equals(id)) {
        fail("committed entry changed: index " + index + " was committed as " + c.id() + ", node " + n.id + " commits " + id);
      }
      return;
    }
    if (index != committed.size() + 1) fail("commit gap at " + index);
    Committed c = new Committed(id, term);
    committed.add(c);
    Entry entry = entries.get(id);
    if (entry == null) fail("node " + n.id + " commits " + id + ", an entry no node was seen to hold");
    if (entry.payload() instanceof EntryPayload.MembershipChange m) {
      committedMembership = m.membership();
      committedMembershipIndex = index;
    }
    for (SimNode other : nodes.values()) {
      if (other.up && other.core.role() == Role.LEADER && other.core.vote().term() > term) {
        requireHolds(other, index, c, "is leading");
      }
    }
  }

  private void requireHolds(SimNode leader, long index, Committed c, String when) {
    LogId held = index < leader.core.firstLogIndex() ? null : leader.core.logIdAt(index);
    if (held == null && coveredBySnapshot(leader, index)) return;
    if (held == null || !held.equals(c.id())) {
      fail("leader completeness: node " + leader.id + " " + when + " in term " + leader.core.vote().term()
          + " without committed " + c.id() + " (committed by term " + c.term() + "), holding " + (held == null ? "nothing" : held));
    }
  }

  /** {@code index} is purged from the node's log and its snapshot includes it (only committed entries are purged). */
  private static boolean coveredBySnapshot(SimNode n, long index) {
    return index < n.core.firstLogIndex() && n.core.snapshot() != null && index <= n.core.snapshot().lastIndex();
  }

  /** The membership of the highest committed membership entry. */
  Membership committedMembership() {
    return committedMembership;
  }

  /**
   * Every committed entry is on the durable storage of enough voters that no leader can be elected without it,
   * under every membership that can still elect one: the latest committed membership and every later one that
   * some node holds (in its durable log, or in memory while it runs). A leader uses the latest membership in its
   * log, so an entry may commit under C_new while the joint membership is the latest committed one. A candidate
   * needs a majority of each voter set of a joint membership, so one of them suffices there.
   */
  void checkDurable(String when) {
    for (Membership m : electingMemberships()) {
      for (int i = 0; i < committed.size(); i++) {
        LogId id = committed.get(i).id();
        boolean held = false;
        StringBuilder counts = new StringBuilder();
        for (Set<Long> voters : m.configs()) {
          int holders = 0;
          for (long v : voters) {
            SimNode n = nodes.get(v);
            if (n != null && durablyHolds(n, i + 1, id)) holders++;
          }
          held |= holders > voters.size() / 2;
          counts.append(counts.length() == 0 ? "" : " and ").append(holders).append(" of ").append(voters);
        }
        if (!held) fail("committed entry " + id + " is durable on only " + counts + " " + when + " (membership " + m.configs() + ")");
      }
    }
  }

  /**
   * The latest committed membership, and every later one held by a node that holds every committed entry (in
   * memory, or on its durable disk). A node missing a committed entry cannot be elected without breaking leader
   * completeness, which is checked on its own, so its membership is not one that can elect.
   */
  private List<Membership> electingMemberships() {
    List<Membership> all = new ArrayList<>();
    all.add(committedMembership);
    if (committed.isEmpty()) return all;
    long last = committed.size();
    LogId lastId = committed.get((int) last - 1).id();
    for (SimNode n : nodes.values()) {
      if (n.up && LogId.indexOf(n.core.membershipLogId()) > committedMembershipIndex
          && (last >= n.core.firstLogIndex() && lastId.equals(n.core.logIdAt(last)) || coveredBySnapshot(n, last))) {
        add(all, n.core.membership());
      }
      if (!durablyHolds(n, last, lastId)) continue;
      for (Entry e : n.disk.durableLog()) {
        if (e.index() > committedMembershipIndex && e.payload() instanceof EntryPayload.MembershipChange c) {
          add(all, c.membership());
        }
      }
    }
    return all;
  }

  private static void add(List<Membership> all, Membership m) {
    if (!m.configs().isEmpty() && !all.contains(m)) all.add(m);
  }

  private static boolean durablyHolds(SimNode n, long index, LogId id) {
    Entry e = n.disk.durableEntry(index);
    SimDisk.Snapshot s = n.disk.durableSnapshot();
    return e != null && e.logId().equals(id) || e == null && s != null && s.meta().lastIndex() >= index;
  }

  /** A leader reported that a peer's log ends before what the peer acknowledged: only a lost disk does that. */
  void peerLostLog(SimNode leader, Action.PeerLostLog lost) {
    fail("node " + leader.id + " reports that node " + lost.peer() + " lost its log (it acknowledged "
        + lost.acknowledged() + ", holds " + lost.holds() + "), but no disk lost a durable write");
  }

  private static void fail(String message) {
    throw new InvariantViolation(message);
  }

  /** A broken safety property. */
  static final class InvariantViolation extends RuntimeException {
    InvariantViolation(String message) {
      super(message, null, false, false);
    }
  }
}
