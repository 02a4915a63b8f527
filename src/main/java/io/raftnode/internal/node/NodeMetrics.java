package io.raftnode.internal.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.raftnode.internal.transport.PeerTraffic;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * A node's Prometheus metrics (docs/OPERATIONS.md lists them). Gauges read the latest {@link NodeSample}, which the
 * node takes on its event loop right before each scrape, so no meter touches the core from another thread; counters
 * and timers are fed by the few places that see the event. Names follow etcd's where one exists, prefixed
 * {@code raftnode_}.
 */
public final class NodeMetrics {
  /** 1 ms to about 8 s, doubling, as etcd's disk histograms. */
  private static final Duration[] DISK_BUCKETS = buckets(1, 14);
  /** 0.1 ms to about 0.8 s, doubling, as etcd's peer round-trip histogram. */
  private static final Duration[] NETWORK_BUCKETS = buckets(0.1, 14);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<Long, PeerMeters> peers = new ConcurrentHashMap<>();
  private volatile NodeSample sample = NodeSample.EMPTY;

  final Counter leaderChanges = counter("raftnode.leader.changes.seen", "leaders this node has seen take over");
  final Counter proposalsFailed = counter("raftnode.proposals.failed", "proposals made on this node that failed");
  final Counter proposalsRefusedPendingBytes = refused("pending_bytes");
  final Counter proposalsRefusedNotLeader = refused("not_leader");
  final Counter readIndexRequests = counter("raftnode.read.index.requests",
      "linearizable reads that asked for a read index (one heartbeat round on the leader)");
  final Counter readIndexFailed = counter("raftnode.read.index.failed", "read index requests that failed");
  final Counter leaseReads = counter("raftnode.lease.reads", "LEASE reads asked of this node");
  final Counter snapshotsTaken = counter("raftnode.snapshots.taken", "snapshots this node took of its state machine");
  final Counter snapshotsInstalled = counter("raftnode.snapshots.installed",
      "snapshots this node received from a leader and installed");
  final Counter snapshotsSent = counter("raftnode.snapshots.sent", "snapshots this node finished sending to followers");
  public final Timer walFsync = timer("raftnode.wal.fsync.duration", "log fsyncs (one per group commit)", DISK_BUCKETS);
  final Timer apply = timer("raftnode.apply.duration", "applying one batch of committed entries", DISK_BUCKETS);
  final Timer snapshotSave = timer("raftnode.snapshot.save.duration",
      "taking a snapshot: capture, write and fsync", DISK_BUCKETS);
  final Timer snapshotInstall = timer("raftnode.snapshot.install.duration",
      "installing a received snapshot: store and restore the state machine", DISK_BUCKETS);

  public NodeMetrics() {
    gauge("raftnode.has.leader", "1 when the node knows a leader heard from within an election timeout",
        s -> s.leaderAlive() ? 1 : 0);
    gauge("raftnode.is.leader", "1 on the leader", s -> s.role().equals("leader") ? 1 : 0);
    gauge("raftnode.is.learner", "1 on a learner (a non-voting member)", s -> s.learner() ? 1 : 0);
    gauge("raftnode.term", "the current term", NodeSample::term);
    gauge("raftnode.leader.id", "the id of the leader this node knows, 0 for none", NodeSample::leaderId);
    gauge("raftnode.commit.index", "the highest log index known committed", NodeSample::commitIndex);
    gauge("raftnode.applied.index", "the highest log index handed to the state machine", NodeSample::appliedIndex);
    gauge("raftnode.last.log.index", "the index of the last entry in the log", NodeSample::lastLogIndex);
    gauge("raftnode.snapshot.index", "the last index the newest snapshot covers", NodeSample::snapshotIndex);
    Gauge.builder("raftnode.snapshot.size", this, m -> m.sample.snapshotBytes()).baseUnit("bytes")
        .description("the size of the newest snapshot's data").register(registry);
    gauge("raftnode.proposals.pending", "proposals accepted by this leader that have not applied yet",
        NodeSample::pendingProposals);
    gauge("raftnode.proposal.bytes.pending", "bytes of proposals this node took and that have not applied yet "
        + "(flow control: at most limits.max_pending_proposal_bytes)", NodeSample::pendingProposalBytes);
    FunctionCounter.builder("raftnode.proposals.committed", this, m -> m.sample.commitIndex())
        .description("entries committed (the commit index, as etcd counts it)").register(registry);
    FunctionCounter.builder("raftnode.proposals.applied", this, m -> m.sample.appliedIndex())
        .description("entries applied (the applied index, as etcd counts it)").register(registry);
  }

  /**
   * The gauges of the built-in key-value store: the bytes its keys hold (read from {@code storeBytes}, which must be
   * safe from any thread) and its quota, {@code limits.max_store_bytes}.
   */
  public void kvStore(LongSupplier storeBytes, long quota) {
    Gauge.builder("raftnode.kv.store", storeBytes::getAsLong).baseUnit("bytes")
        .description("bytes the key-value store's keys hold: keys, values and a fixed overhead a key").register(registry);
    Gauge.builder("raftnode.kv.store.quota", () -> quota).baseUnit("bytes")
        .description("limits.max_store_bytes: past it the leader refuses writes that grow the store").register(registry);
  }

  /** Publishes the state the gauges show; registers the per-follower gauges of followers seen the first time. */
  public void update(NodeSample now) {
    sample = now;
    now.peers().keySet().forEach(this::peer);
  }

  NodeSample sample() {
    return sample;
  }

  /** The traffic counters and follower gauges of {@code peer}, made the first time it is named. */
  public PeerTraffic traffic(long peer) {
    return peer(peer);
  }

  /** Prometheus text exposition of every raftnode meter. */
  public String scrape() {
    return registry.scrape();
  }

  private PeerMeters peer(long id) {
    return peers.computeIfAbsent(id, PeerMeters::new);
  }

  private final class PeerMeters implements PeerTraffic {
    private final Counter sent;
    private final Counter received;
    private final Timer roundTrip;

    PeerMeters(long id) {
      String peer = Long.toString(id);
      sent = Counter.builder("raftnode.peer.sent").baseUnit("bytes").tag("peer", peer)
          .description("Raft message bytes sent to the peer (requests and answers)").register(registry);
      received = Counter.builder("raftnode.peer.received").baseUnit("bytes").tag("peer", peer)
          .description("Raft message bytes received from the peer (requests and answers)").register(registry);
      roundTrip = Timer.builder("raftnode.peer.round.trip.time").tag("peer", peer)
          .description("votes and heartbeats from sending until the peer's answer")
          .serviceLevelObjectives(NETWORK_BUCKETS).register(registry);
      Gauge.builder("raftnode.follower.match.index", NodeMetrics.this, m -> m.followerMatch(id)).tag("peer", peer)
          .description("on the leader: the highest index the follower acknowledged; NaN elsewhere").register(registry);
      Gauge.builder("raftnode.follower.lag.entries", NodeMetrics.this, m -> m.followerLag(id)).tag("peer", peer)
          .description("on the leader: its last log index minus the follower's match index; NaN elsewhere")
          .register(registry);
    }

    @Override
    public void sent(long bytes) {
      sent.increment(bytes);
    }

    @Override
    public void received(long bytes) {
      received.increment(bytes);
    }

    @Override
    public void roundTrip(long nanos) {
      roundTrip.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private double followerMatch(long peer) {
    Long match = sample.peers().get(peer);
    return match == null ? Double.NaN : match;
  }

  private double followerLag(long peer) {
    NodeSample s = sample;
    Long match = s.peers().get(peer);
    return match == null ? Double.NaN : Math.max(0, s.lastLogIndex() - match);
  }

  private void gauge(String name, String description, ToDoubleFunction<NodeSample> value) {
    Gauge.builder(name, this, m -> value.applyAsDouble(m.sample)).description(description).register(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** Proposals refused before they were proposed, by {@code reason}: flow control or not the leader. */
  private Counter refused(String reason) {
    return Counter.builder("raftnode.proposals.refused").tag("reason", reason)
        .description("proposals refused before anything was proposed").register(registry);
  }

  private Timer timer(String name, String description, Duration[] buckets) {
    return Timer.builder(name).description(description).serviceLevelObjectives(buckets).register(registry);
  }

  private static Duration[] buckets(double firstMs, int count) {
    Duration[] buckets = new Duration[count];
    for (int i = 0; i < count; i++) buckets[i] = Duration.ofNanos(Math.round(firstMs * 1_000_000 * (1L << i)));
    return buckets;
  }
}
