package io.raftnode.internal.core;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.LogOutline;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A deterministic, single-threaded cluster of cores for tests. It carries messages between cores by hand (a FIFO
 * queue), plays the node's part for every action (durable vote and log per node, replies matched by token,
 * LogPersisted right after AppendToLog unless a node's disk is slowed down) and checks two safety properties on
 * every step: at most one leader per term, and every node applies the same entry at the same index.
 */
final class CoreCluster {

  static final CoreConfig CONFIG = new CoreConfig(2, 10, 20, 64, 1 << 20, 4);

  /** A message on the wire. */
  sealed interface Msg {
    long from();

    long to();
  }

  record VoteReq(long from, long to, VoteRequest request) implements Msg {}

  record VoteResp(long from, long to, VoteRequest sent, VoteResponse response) implements Msg {}

  record AppendReq(long from, long to, long rpcId, AppendEntriesRequest request) implements Msg {}

  record AppendResp(long from, long to, long rpcId, AppendEntriesRequest sent, AppendEntriesResponse response)
      implements Msg {}

  record TransferReq(long from, long to, TransferLeaderRequest request) implements Msg {}
  /** A whole snapshot transfer, as one message (the node streams it in chunks; the core sees only its ends). */
  record SnapshotReq(long from, long to, Vote vote, SnapshotMeta meta) implements Msg {}

  record SnapshotResp(long from, long to, SnapshotReq sent, SnapshotResponse response) implements Msg {}

  /** The transport's report to the sender that {@code lost} got no answer. */
  record Failure(AppendReq lost) implements Msg {
    public long from() {
      return lost.to();
    }

    public long to() {
      return lost.from();
    }
  }

  /** The transport's report to the leader that a snapshot transfer failed. */
  record SnapshotFailure(SnapshotReq lost) implements Msg {
    public long from() {
      return lost.to();
    }

    public long to() {
      return lost.from();
    }
  }

  /** One simulated node: the core plus what its node verticle would keep. */
  final class Sim {
    final long id;
    RaftCore core;
    Vote diskVote;
    final List<Entry> disk;
    final List<Entry> applied = new ArrayList<>();
    final List<Action> history = new ArrayList<>();
    /** When false, AppendToLog completions wait in {@link #unpersisted} until {@link #flush} is called. */
    boolean autoPersist = true;
    final Deque<LogId> unpersisted = new ArrayDeque<>();
    boolean up = true;
    /** When false, ReadEntries wait in {@link #reads} until {@link #completeReads} is called. */
    boolean autoRead = true;
    final Deque<Action.ReadEntries> reads = new ArrayDeque<>();
    /** Every ReadEntries this node was asked for. */
    final List<Action.ReadEntries> readsAsked = new ArrayList<>();
    /** The node's latest snapshot on disk (null: none); the disk log holds only entries after diskBase. */
    SnapshotMeta snapshot;
    long diskBase;
    /** Highest index the state machine holds: applied entries, or a restored snapshot. */
    long appliedUpTo;
    private final long seed;

    Sim(long id, Vote vote, List<Entry> log, long seed) {
      this.id = id;
      this.diskVote = vote;
      this.disk = new ArrayList<>(log);
      this.seed = seed;
      this.core = new RaftCore(config, id, vote, null, log, new Random(seed));
    }

    /** Rebuilds the core from what is on disk, as after a crash; the state machine starts empty again. */
    void restart() {
      // As the node does: the ids of the whole log, no payloads; the core reads from disk what it needs.
      core = new RaftCore(config, id, diskVote, snapshot, LogOutline.of(disk), List.of(), new Random(seed + 7919));
      applied.clear();
      reads.clear();
      appliedUpTo = snapshot == null ? 0 : snapshot.lastIndex();
      unpersisted.clear();
      up = true;
    }

    /** Completes every AppendToLog held back so far. */
    void flush() {
      LogId last = null;
      while (!unpersisted.isEmpty()) last = unpersisted.poll();
      if (last != null) step(this, new Event.LogPersisted(last));
    }

    /** Carries out the reads held so far against the disk as it is now, in the order asked. */
    void completeReads() {
      while (!reads.isEmpty()) {
        Action.ReadEntries r = reads.poll();
        step(this, new Event.EntriesRead(r.readId(), r.forPeer(), r.from(), readDisk(this, r)));
      }
    }

    List<LogId> logIds() {
      return disk.stream().map(Entry::logId).toList();
    }
  }

  final CoreConfig config;
  final Map<Long, Sim> nodes = new TreeMap<>();
  final Deque<Msg> wire = new ArrayDeque<>();
  final List<Msg> held = new ArrayList<>();
  final List<Msg> sent = new ArrayList<>();
  final Set<Long> isolated = new HashSet<>();
  /** Messages matching are lost. */
  Predicate<Msg> drop = m -> false;
  /** Messages matching are lost too (a second filter, so that tests can combine two reasons). */
  Predicate<Msg> fail = m -> false;
  /** Messages matching wait in {@link #held} until released. */
  Predicate<Msg> hold = m -> false;

  private final Map<Long, Msg> awaitingReply = new HashMap<>();
  private final Map<Long, Long> leaderOfTerm = new HashMap<>();
  private final Map<Long, LogId> appliedAt = new HashMap<>();
  private long nextToken;

  CoreCluster(CoreConfig config, Map<Long, Vote> votes, Map<Long, List<Entry>> logs, long seed) {
    this.config = config;
    for (long id : logs.keySet()) {
      nodes.put(id, new Sim(id, votes.getOrDefault(id, Vote.INITIAL), logs.get(id), seed * 1000 + id));
    }
  }

  /** {@code n} new nodes 1..n whose logs hold only the bootstrap membership of all of them. */
  static CoreCluster fresh(int n, long seed) {
    return fresh(n, seed, CONFIG);
  }

  static CoreCluster fresh(int n, long seed, CoreConfig config) {
    Map<Long, List<Entry>> logs = new TreeMap<>();
    for (long id = 1; id <= n; id++) logs.put(id, List.of(membershipEntry(LogId.of(0, 0, 1), n)));
    return new CoreCluster(config, Map.of(), logs, seed);
  }

  static Entry membershipEntry(LogId id, int voters) {
    Map<Long, Node> members = new TreeMap<>();
    for (long v = 1; v <= voters; v++) members.put(v, new Node("n" + v + ":7000", ""));
    return new Entry(id, new EntryPayload.MembershipChange(Membership.ofVoters(members)));
  }

  static EntryPayload.Normal data(String text) {
    return new EntryPayload.Normal(text.getBytes(StandardCharsets.UTF_8));
  }

  Sim node(long id) {
    return nodes.get(id);
  }

  RaftCore core(long id) {
    return nodes.get(id).core;
  }

  /** Steps one event into a node and carries out the actions it returns, in order. */
  List<Action> step(Sim n, Event event) {
    List<Action> actions = n.core.step(event);
    n.history.addAll(actions);
    LogId written = null;
    for (Action a : actions) {
      LogId w = execute(n, a);
      if (w != null) written = w;
    }
    checkSafety(n);
    if (n.autoRead) n.completeReads();
    if (written != null) {
      if (n.autoPersist) step(n, new Event.LogPersisted(written));
      else n.unpersisted.add(written);
    }
    return actions;
  }

  List<Action> step(long id, Event event) {
    return step(nodes.get(id), event);
  }

  /** Plays the node's part for one action; returns the last id an AppendToLog wrote, if any. */
  private LogId execute(Sim n, Action a) {
    if (a instanceof Action.PersistVote v) {
      n.diskVote = v.vote();
    } else if (a instanceof Action.AppendToLog w) {
      if (w.truncateFrom() > 0) n.disk.subList((int) (w.truncateFrom() - 1 - n.diskBase), n.disk.size()).clear();
      n.disk.addAll(w.entries());
      return w.entries().isEmpty() ? null : w.entries().get(w.entries().size() - 1).logId();
    } else if (a instanceof Action.SendVote v) {
      send(new VoteReq(n.id, v.to(), v.request()));
    } else if (a instanceof Action.SendAppend s) {
      send(new AppendReq(n.id, s.to(), s.rpcId(), s.request()));
    } else if (a instanceof Action.SendTransferLeader t) {
      send(new TransferReq(n.id, t.to(), t.request()));
    } else if (a instanceof Action.ReplyVote r) {
      // A token the harness did not hand out belongs to an event a test stepped in by hand: nobody to answer.
      VoteReq req = (VoteReq) awaitingReply.remove(r.token());
      if (req != null) send(new VoteResp(n.id, req.from(), req.request(), r.response()));
    } else if (a instanceof Action.ReplyAppend r) {
      AppendReq req = (AppendReq) awaitingReply.remove(r.token());
      if (req != null) send(new AppendResp(n.id, req.from(), req.rpcId(), req.request(), r.response()));
    } else if (a instanceof Action.ReadEntries r) {
      n.readsAsked.add(r);
      n.reads.add(r);
    } else if (a instanceof Action.ApplyEntries ap) {
      for (Entry e : ap.entries()) {
        if (e.index() != n.appliedUpTo + 1) throw new AssertionError("node " + n.id + " applied out of order: " + e);
        n.applied.add(e);
        n.appliedUpTo = e.index();
      }
    } else {
      executeSnapshotAction(n, a);
    }
    return null;
  }

  private void executeSnapshotAction(Sim n, Action a) {
    if (a instanceof Action.PurgeLog purge) {
      purgeDisk(n, purge.upTo().index());
    } else if (a instanceof Action.SendSnapshot send) {
      send(new SnapshotReq(n.id, send.to(), send.vote(), send.meta()));
    } else if (a instanceof Action.RestoreSnapshot restore) {
      if (restore.truncateFrom() > 0 || restore.meta().lastIndex() > n.diskBase + n.disk.size()) {
        n.disk.clear();
        n.diskBase = restore.meta().lastIndex();
      } else {
        purgeDisk(n, restore.meta().lastIndex());
      }
      n.snapshot = restore.meta();
      n.appliedUpTo = restore.meta().lastIndex();
      snapshotsInstalled++;
    } else if (a instanceof Action.ReplySnapshot r) {
      SnapshotReq req = (SnapshotReq) awaitingReply.remove(r.token());
      if (req != null) send(new SnapshotResp(n.id, req.from(), req, r.response()));
    }
  }

  /** What the node's LogStore.read returns: a bounded run from the disk log, at least one entry when it holds one. */
  static List<Entry> readDisk(Sim n, Action.ReadEntries r) {
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = r.from(); i <= n.diskBase + n.disk.size() && out.size() < r.maxEntries(); i++) {
      if (i <= n.diskBase) return List.of();
      Entry e = n.disk.get((int) (i - n.diskBase - 1));
      long size = e.payload() instanceof EntryPayload.Normal d ? d.data().length : 0;
      if (!out.isEmpty() && bytes + size > r.maxBytes()) break;
      out.add(e);
      bytes += size;
    }
    return out;
  }

  private static void purgeDisk(Sim n, long upTo) {
    if (upTo <= n.diskBase) return;
    n.disk.subList(0, (int) Math.min(n.disk.size(), upTo - n.diskBase)).clear();
    n.diskBase = upTo;
  }

  /** Snapshots installed by any node so far. */
  int snapshotsInstalled;

  /**
   * The node takes a snapshot at its applied index, as the node would once the state machine wrote it, and steps
   * SnapshotTaken so the core purges all but {@code keepTail} entries.
   */
  SnapshotMeta takeSnapshot(long id, long keepTail) {
    Sim n = nodes.get(id);
    long index = n.core.appliedIndex();
    LogId last = index == n.diskBase && n.snapshot != null ? n.snapshot.lastLogId() : n.core.logIdAt(index);
    SnapshotMeta meta = new SnapshotMeta(last, new StoredMembership(null, n.core.membership()), "s-" + id + "-" + index);
    n.snapshot = meta;
    step(n, new Event.SnapshotTaken(meta, keepTail));
    return meta;
  }

  private void checkSafety(Sim n) {
    if (n.core.role() == Role.LEADER) {
      Long other = leaderOfTerm.putIfAbsent(n.core.vote().term(), n.id);
      if (other != null && other != n.id)
        throw new AssertionError("two leaders in term " + n.core.vote().term() + ": " + other + " and " + n.id);
    }
    for (Entry e : n.applied) {
      LogId first = appliedAt.putIfAbsent(e.index(), e.logId());
      if (first != null && !first.equals(e.logId()))
        throw new AssertionError("node " + n.id + " applied " + e.logId() + " where another applied " + first);
    }
  }

  private void send(Msg m) {
    sent.add(m);
    if (isolated.contains(m.from()) || isolated.contains(m.to()) || drop.test(m) || fail.test(m)) {
      lost(m);
      return;
    }
    if (hold.test(m)) held.add(m);
    else wire.add(m);
  }

  /**
   * A lost message. Like the node's transport (deadlines, connection errors), the sender of an AppendEntries that
   * got no answer, because the request or its answer was lost, hears AppendEntriesFailed. Lost votes go unnoticed:
   * candidates retry when their timer runs out.
   */
  private void lost(Msg m) {
    if (m instanceof SnapshotReq r) wire.add(new SnapshotFailure(r));
    else if (m instanceof SnapshotResp r) wire.add(new SnapshotFailure(r.sent()));
    else if (m instanceof AppendReq a) wire.add(new Failure(a));
    else if (m instanceof AppendResp r) wire.add(new Failure(new AppendReq(r.to(), r.from(), r.rpcId(), r.sent())));
  }

  /** Delivers queued messages, including the ones they cause, until the wire is quiet. */
  void deliverAll() {
    int guard = 0;
    while (!wire.isEmpty()) {
      if (++guard > 1_000_000) throw new AssertionError("messages never stop");
      deliver(wire.poll());
    }
  }

  void deliver(Msg m) {
    Sim to = nodes.get(m.to());
    if (to == null || !to.up) {
      lost(m);
      return;
    }
    if (!(m instanceof Failure) && !(m instanceof SnapshotFailure) && (isolated.contains(m.to()) || isolated.contains(m.from()))) {
      lost(m);
      return;
    }
    if (m instanceof VoteReq v && refusesRemoved(to, v)) {
      return;
    } else if (m instanceof VoteReq v) {
      long token = ++nextToken;
      awaitingReply.put(token, m);
      step(to, new Event.VoteRequestReceived(token, v.request()));
    } else if (m instanceof AppendReq a) {
      long token = ++nextToken;
      awaitingReply.put(token, m);
      step(to, new Event.AppendEntriesReceived(token, a.request()));
    } else if (m instanceof TransferReq t) {
      step(to, new Event.TransferLeaderReceived(++nextToken, t.request()));
    } else if (m instanceof VoteResp r) {
      step(to, new Event.VoteResponseReceived(r.from(), r.sent(), r.response()));
    } else if (m instanceof AppendResp r) {
      step(to, new Event.AppendEntriesResponseReceived(r.from(), r.rpcId(), r.sent(), r.response()));
    } else if (m instanceof Failure f) {
      step(to, new Event.AppendEntriesFailed(f.lost().to(), f.lost().rpcId(), f.lost().request()));
    } else if (m instanceof SnapshotReq r) {
      long token = ++nextToken;
      awaitingReply.put(token, m);
      step(to, new Event.SnapshotReceived(token, r.vote(), r.meta()));
    } else if (m instanceof SnapshotResp r) {
      step(to, new Event.SnapshotSent(r.from(), r.sent().vote(), r.sent().meta(), r.response()));
    } else if (m instanceof SnapshotFailure f) {
      step(to, new Event.SnapshotSent(f.lost().to(), f.lost().vote(), f.lost().meta(), null));
    }
  }

  /**
   * The transport's check before a vote request reaches the core: a candidate the receiver knows was removed is
   * refused and told so (the node's PeerRequestChecks).
   */
  private boolean refusesRemoved(Sim to, VoteReq v) {
    Membership m = to.core.membership();
    if (!m.wasRemoved(v.from())) return false;
    Sim candidate = nodes.get(v.from());
    if (candidate != null && candidate.up) step(candidate, new Event.RemovedFromCluster(to.id));
    return true;
  }

  /** Puts every held message back on the wire (in the order held) and stops holding. */
  void releaseHeld() {
    hold = m -> false;
    wire.addAll(held);
    held.clear();
    deliverAll();
  }

  /** One tick for the given node only, then delivers everything that follows. */
  void tick(long id) {
    step(id, Event.Tick.INSTANCE);
    deliverAll();
  }

  /** {@code rounds} ticks for every running node (in id order), delivering messages after each round. */
  void tickAll(int rounds) {
    for (int i = 0; i < rounds; i++) {
      for (Sim n : nodes.values()) if (n.up) step(n, Event.Tick.INSTANCE);
      deliverAll();
    }
  }

  /** Ticks everyone until a single running leader is known to all running nodes; returns the ticks used. */
  int awaitLeader(int maxTicks) {
    for (int t = 1; t <= maxTicks; t++) {
      tickAll(1);
      if (stableLeader() != 0) return t;
    }
    throw new AssertionError("no leader within " + maxTicks + " ticks");
  }

  /** The leader every running, connected node follows, or 0. */
  long stableLeader() {
    List<Sim> leaders = nodes.values().stream().filter(n -> n.up && n.core.role() == Role.LEADER).toList();
    if (leaders.size() != 1) return 0;
    long leader = leaders.get(0).id;
    boolean all = nodes.values().stream().filter(n -> n.up && !isolated.contains(n.id)).allMatch(n -> n.core.leaderId() == leader);
    return all ? leader : 0;
  }

  /** A new node with an empty log (started with {@code "members": {}}), waiting to be added. */
  Sim addNode(long id) {
    Sim n = new Sim(id, Vote.INITIAL, List.of(), id * 31);
    nodes.put(id, n);
    return n;
  }

  /** The node loses its disk (vote, log, snapshot) and starts again from nothing. */
  void wipe(long id) {
    Sim n = nodes.get(id);
    n.diskVote = Vote.INITIAL;
    n.disk.clear();
    n.snapshot = null;
    n.diskBase = 0;
    n.restart();
  }

  /** Asks node {@code id} for a membership change; returns the token its answer will carry. */
  long changeMembership(long id, io.raftnode.internal.model.MembershipCommand command, long expectedIndex) {
    long token = ++nextToken;
    step(id, new Event.ChangeMembership(token, command, expectedIndex));
    deliverAll();
    return token;
  }

  /** The answer node {@code id} gave to the membership change with {@code token}, or null while it has none. */
  Action membershipAnswer(long id, long token) {
    for (Action a : nodes.get(id).history) {
      if (a instanceof Action.MembershipChanged c && c.token() == token) return a;
      if (a instanceof Action.MembershipChangeFailed f && f.token() == token) return a;
    }
    return null;
  }

  /** The one running leader among {@code ids} that every running node of {@code ids} follows, or 0. */
  long stableLeaderAmong(Set<Long> ids) {
    List<Sim> among = nodes.values().stream().filter(n -> n.up && ids.contains(n.id)).toList();
    List<Sim> leaders = among.stream().filter(n -> n.core.role() == Role.LEADER).toList();
    if (leaders.size() != 1) return 0;
    long leader = leaders.get(0).id;
    return among.stream().allMatch(n -> n.core.leaderId() == leader) ? leader : 0;
  }

  /** Proposes the given commands, each with its own token, as one Propose event. */
  List<Action> propose(long id, String... commands) {
    List<Event.Proposal> ps = new ArrayList<>();
    for (String c : commands) ps.add(new Event.Proposal(++nextToken, data(c)));
    List<Action> actions = step(id, new Event.Propose(ps));
    deliverAll();
    return actions;
  }

  /** The actions of type {@code type} that node {@code id} emitted so far, in order. */
  <A extends Action> List<A> emitted(long id, Class<A> type) {
    return nodes.get(id).history.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Appends actually sent from {@code from} to {@code to} (heartbeats included), in order. */
  List<AppendReq> appendsSent(long from, long to) {
    return sent.stream()
        .filter(m -> m instanceof AppendReq a && a.from() == from && a.to() == to)
        .map(m -> (AppendReq) m)
        .toList();
  }
}
