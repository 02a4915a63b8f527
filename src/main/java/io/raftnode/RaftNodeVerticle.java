package io.raftnode;

import io.raftnode.internal.core.RaftCore;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.kv.KvStateMachine;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.MembershipCommand;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.node.CallerContexts;
import io.raftnode.internal.node.ChangeListeners;
import io.raftnode.internal.node.ConnectionRefusals;
import io.raftnode.internal.node.DataDirSize;
import io.raftnode.internal.node.ForwardingNode;
import io.raftnode.internal.node.InternalNode;
import io.raftnode.internal.node.NodeMetrics;
import io.raftnode.internal.node.NodeRuntime;
import io.raftnode.internal.node.NodeSample;
import io.raftnode.internal.node.NodeStartup;
import io.raftnode.internal.node.NodeStorage;
import io.raftnode.internal.node.OperationsEndpoints;
import io.raftnode.internal.node.OwnEventLoop;
import io.raftnode.internal.node.PeerDirectory;
import io.raftnode.internal.node.PeerInbox;
import io.raftnode.internal.node.PeerTransportOptions;
import io.raftnode.internal.node.RaftLoopCalls;
import io.raftnode.internal.node.SnapshotDownload;
import io.raftnode.internal.node.SnapshotFiles;
import io.raftnode.internal.node.StorageWorker;
import io.raftnode.internal.node.TickClock;
import io.raftnode.internal.node.TickTiming;
import io.raftnode.internal.node.TlsEngine;
import io.raftnode.internal.service.NodeClientService;
import io.raftnode.internal.transport.RaftServiceEndpoint;
import io.raftnode.internal.transport.SnapshotEndpoint;
import io.raftnode.internal.transport.StreamAppendEndpoint;
import io.raftnode.statemachine.StateMachine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.server.GrpcServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One Raft node: runs the Raft algorithm on this verticle's event loop, serves RaftService on the peer address and
 * the given {@link ClientService}s on the client address. Several can run in one Vert.x instance, one per node.
 *
 * <p>Deploy it with a config built in code ({@link #RaftNodeVerticle(NodeConfig, StateMachine, ClientService...)}),
 * or
 * with the same JSON as a config file in the {@link io.vertx.core.DeploymentOptions#setConfig deployment's config}
 * ({@link #RaftNodeVerticle(StateMachine, ClientService...)}); relative paths in it resolve against the working
 * directory, and a bad config fails the deployment with a {@link ConfigException} naming the key. Once deployed, the
 * verticle is the node's {@link RaftNode} handle.
 */
public class RaftNodeVerticle extends VerticleBase implements RaftNode {
  private static final Logger LOG = Logger.getLogger(RaftNodeVerticle.class.getName());
  /** How long a write may wait to commit before the client is told its outcome is unknown. */
  static final long PROPOSAL_TIMEOUT_MS = 10_000;

  private NodeConfig config;
  private final StateMachine stateMachine;
  private final List<ClientService> clientServices;
  private final NodeMetrics metrics = new NodeMetrics();
  private NodeStorage storage;
  private StorageWorker storageWorker;
  private NodeRuntime runtime;
  private GrpcClient peerClient;
  private PeerDirectory peers;
  private PeerInbox inbox;
  private HttpServer peerServer;
  private HttpServer clientServer;
  private HttpServer metricsServer;
  private long tickTimer = -1;
  private TickClock tickClock;
  private long tickMs;
  private DataDirSize dataDirSize;
  private boolean stopped;
  /** How work from other threads reaches the Raft loop, and its results come back. */
  private RaftLoopCalls loopCalls;
  private final ChangeListeners<LeaderChange> leaderListeners = new ChangeListeners<>();
  private final ChangeListeners<MembershipChange> membershipListeners = new ChangeListeners<>();
  /** The client port's event loop. */
  private volatile Context clientLoop;

  /**
   * A node with a config built in code (checked again when it starts: {@link NodeConfig#validate()}); deploy it with
   * no config in its {@code DeploymentOptions}.
   *
   * @param config         the node's config
   * @param stateMachine   what the node replicates
   * @param clientServices the services it serves on its client address, such as {@link ClientService#admin()}
   */
  public RaftNodeVerticle(NodeConfig config, StateMachine stateMachine, ClientService... clientServices) {
    this.config = config;
    this.stateMachine = stateMachine;
    this.clientServices = List.of(clientServices);
  }

  /**
   * A node whose config is the deployment's JSON config, with the keys and checks of a config file.
   *
   * @param stateMachine   what the node replicates
   * @param clientServices the services it serves on its client address, such as {@link ClientService#admin()}
   */
  public RaftNodeVerticle(StateMachine stateMachine, ClientService... clientServices) {
    this(null, stateMachine, clientServices);
  }

  @Override
  public Future<?> start() {
    try {
      config = resolveConfig();
      requireTlsEngine();
    } catch (ConfigException | IllegalStateException e) {
      return Future.failedFuture(e);
    }
    TickTiming timing = TickTiming.of(config);
    return vertx.executeBlocking(() -> NodeStorage.open(config.dataDir()))
        .compose(opened -> {
          storage = opened;
          return vertx.executeBlocking(() -> NodeStartup.restore(opened, stateMachine, config.nodeId()));
        })
        .compose(restored -> {
          peerClient = PeerTransportOptions.client(vertx, config);
          inbox = new PeerInbox(config.nodeId(), restored.vote());
          return listenPeer()
              .compose(v -> NodeStartup.found(vertx, config, storage, restored, inbox, peerClient, timing.rpcTimeoutMs()));
        })
        .compose(restored -> {
          startRuntime(restored, timing);
          inbox.open(runtime);
          return listenClient();
        })
        .onSuccess(v -> LOG.info("node " + config.nodeId() + " started: peer " + config.peerAddress()
            + ", client " + config.clientAddress() + ", log up to " + runtime.core().lastLogId()))
        .onFailure(e -> closeAfterFailedStart());
  }

  /** The config given in code, else the deployment's; exactly one of them. */
  private NodeConfig resolveConfig() throws ConfigException {
    JsonObject deployed = config();
    boolean hasDeployed = deployed != null && !deployed.isEmpty();
    if (config != null && hasDeployed) {
      throw new ConfigException(null, "the node was given a config both in code and in its DeploymentOptions: give one");
    }
    if (config != null) return config.validate();
    if (!hasDeployed) throw new ConfigException(null, "the node has no config: pass a NodeConfig or set one in DeploymentOptions");
    return NodeConfig.fromJson(deployed, Path.of("").toAbsolutePath());
  }

  /** A start that failed half way: whatever it opened is closed again, so the ports and the data dir are free. */
  private void closeAfterFailedStart() {
    stopped = true;
    if (tickTimer >= 0) vertx.cancelTimer(tickTimer);
    if (runtime != null) runtime.stop();
    if (peers != null) peers.closeAll();
    if (peerServer != null) peerServer.close();
    if (peerClient != null) peerClient.close();
    closeQuietly();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (tickTimer >= 0) vertx.cancelTimer(tickTimer);
    if (runtime != null) runtime.stop();
    if (peers != null) peers.closeAll();
    Future<Void> peer = peerServer == null ? Future.succeededFuture() : peerServer.close();
    Future<Void> client = clientServer == null ? Future.succeededFuture() : clientServer.close();
    Future<Void> metricsHttp = metricsServer == null ? Future.succeededFuture() : metricsServer.close();
    return Future.join(peer, client, metricsHttp)
        .eventually(() -> peerClient == null ? Future.succeededFuture() : peerClient.close())
        .eventually(() -> vertx.executeBlocking(() -> {
          closeQuietly();
          return null;
        }));
  }

  /** TLS runs on OpenSSL (BoringSSL) only: a node asked for TLS without it does not start (see TlsEngine). */
  private void requireTlsEngine() {
    if (config.tls().enabled()) TlsEngine.require("tls.enabled");
    if (config.clientTls().enabled()) TlsEngine.require("client_tls.enabled");
    if (config.tls().enabled() || config.clientTls().enabled()) {
      LOG.info("node " + config.nodeId() + " TLS engine: " + TlsEngine.describe() + "; peer port "
          + (config.tls().enabled() ? "mTLS" : "plaintext") + ", client port "
          + (config.clientTls().enabled() ? (config.clientTls().requireClientCert() ? "mTLS" : "TLS") : "plaintext"));
    }
  }

  private void startRuntime(NodeStartup.Restored restored, TickTiming timing) {
    Context context = vertx.getOrCreateContext();
    CallerContexts callers = new CallerContexts(vertx);
    loopCalls = new RaftLoopCalls(context, callers);
    dataDirSize = new DataDirSize(context, config.dataDir());
    tickMs = timing.tickMs();
    RaftCore core = new RaftCore(timing.coreConfig(), config.nodeId(), restored.vote(),
        restored.snapshot() == null ? null : restored.snapshot().meta(), restored.log(), List.of(), new Random());
    storageWorker = new StorageWorker(context, storage.logStore(), storage.voteStore(), "raftnode-" + config.nodeId() + "-io",
        nanos -> metrics.walFsync.record(nanos, TimeUnit.NANOSECONDS));
    peers = new PeerDirectory(vertx, peerClient, core, timing.rpcTimeoutMs(), config.replication().stream(),
        metrics::traffic);
    SnapshotFiles files = new SnapshotFiles(context, storage.snapshotStore(), "raftnode-" + config.nodeId() + "-snap");
    runtime = new NodeRuntime(core, storageWorker, stateMachine, context, peers, System::currentTimeMillis,
        PROPOSAL_TIMEOUT_MS, new NodeRuntime.SnapshotSetup(config.snapshots(), files, restored.snapshot()), metrics,
        config.limits());
    if (stateMachine instanceof KvStateMachine kv) metrics.kvStore(kv::storeBytes, config.limits().maxStoreBytes());
    leaderListeners.start(callers, loopCalls);
    membershipListeners.start(callers, loopCalls);
    runtime.afterEachStep(this::reportChanges);
    reportChanges();
    scheduleTick(timing.tickMs());
  }

  /** What {@link #reportChanges} last looked at: a step that changed neither builds nothing (steps are many). */
  private long reportedLeader = -1;
  private long reportedTerm = -1;
  private Object reportedMembershipLogId = new Object();

  /** On the Raft loop after each step: hands a new leader or membership to the listeners. */
  private void reportChanges() {
    RaftCore core = runtime.core();
    long leader = core.leaderId();
    long term = core.vote().term();
    if (leader != reportedLeader || term != reportedTerm) {
      reportedLeader = leader;
      reportedTerm = term;
      leaderListeners.observe(new LeaderChange(leader, term, leader == config.nodeId()));
    }
    if (java.util.Objects.equals(core.membershipLogId(), reportedMembershipLogId)) return;
    reportedMembershipLogId = core.membershipLogId();
    Membership m = core.membership();
    List<Long> jointNew = m.isJoint() ? List.copyOf(m.configs().get(m.configs().size() - 1)) : List.of();
    List<Long> voters = m.configs().isEmpty() ? List.of() : List.copyOf(new TreeSet<>(m.configs().get(0)));
    membershipListeners.observe(new MembershipChange(LogId.indexOf(core.membershipLogId()), voters,
        jointNew.stream().sorted().toList(), List.copyOf(new TreeSet<>(m.learnerIds()))));
  }

  /**
   * One tick per interval, re-armed after each: when the event loop was held up (GC, a busy machine) the node
   * resumes with one tick, not a burst of catch-up ticks that would run out its election timeout before it has
   * read the heartbeats waiting for it.
   */
  private void scheduleTick(long tickMs) {
    TickClock clock = new TickClock(tickMs);
    tickClock = clock;
    scheduleTick(tickMs, clock);
  }

  private void scheduleTick(long tickMs, TickClock clock) {
    tickTimer = vertx.setTimer(tickMs, id -> {
      if (stopped) return;
      runtime.tick(clock.elapsed());
      scheduleTick(tickMs, clock);
    });
  }

  /** The peer port serves the {@link PeerInbox}, from before the runtime exists (a founder's probes need it). */
  private Future<Void> listenPeer() {
    GrpcRoutes peerRoutes = new GrpcRoutes(PeerTransportOptions.maxMessageBytes(), null);
    RaftServiceEndpoint.bind(peerRoutes, inbox);
    StreamAppendEndpoint.bind(peerRoutes, inbox);
    SnapshotEndpoint.bind(peerRoutes, inbox);
    HostAndPort peer = config.peerAddress();
    return vertx.createHttpServer(PeerTransportOptions.peerServer(config))
        .requestHandler(peerRoutes)
        .exceptionHandler(e -> ConnectionRefusals.log("peer", peer, e))
        .listen(peer.port(), peer.host())
        .map(server -> {
          peerServer = server;
          return null;
        });
  }

  private Future<Void> listenClient() {
    GrpcServer clientGrpc = GrpcServer.server(vertx, PeerTransportOptions.grpcServer());
    // The node's own services on its own gRPC layer; health, reflection and an application's services on Vert.x's.
    GrpcRoutes clientRoutes = new GrpcRoutes(PeerTransportOptions.maxMessageBytes(), clientGrpc);
    InternalNode internal = new ServiceView();
    for (ClientService service : clientServices) {
      if (service instanceof NodeClientService own) {
        own.bind(clientRoutes, internal);
      } else {
        service.bind(clientGrpc, internal);
      }
    }
    OperationsEndpoints.bindHealthAndReflection(vertx, clientGrpc, this::serving,
        clientServices.stream().flatMap(service -> service.services().stream()).toList());
    HostAndPort client = config.clientAddress();
    return listenOnOwnEventLoop(vertx.createHttpServer(PeerTransportOptions.clientServer(config))
            .requestHandler(clientRoutes)
            .exceptionHandler(e -> ConnectionRefusals.log("client", client, e)), client)
        .compose(server -> {
          clientServer = server;
          HostAndPort metricsAddress = config.operations().metricsAddress();
          if (metricsAddress == null) return Future.succeededFuture();
          return onOwnEventLoop(() -> OperationsEndpoints.listenMetrics(vertx, metricsAddress, this::scrapeMetrics))
              .map(metricsHttp -> {
                metricsServer = metricsHttp;
                return null;
              });
        });
  }

  /**
   * The gRPC health service's answer for service "": SERVING while the node knows a leader heard from within an
   * election timeout and its applied index trails the commit index by at most {@code health.max_apply_gap}.
   */
  Future<Boolean> serving() {
    long gap = config.operations().healthMaxApplyGap();
    return sampleNow().map(s -> s.leaderAlive() && s.commitIndex() - s.appliedIndex() <= gap)
        .otherwise(false);
  }

  /** The node's Prometheus text, its gauges read from a sample taken now on the Raft loop. */
  private Future<String> scrapeMetrics() {
    return sampleNow().map(s -> metrics.scrape());
  }

  private Future<NodeSample> sampleNow() {
    return onLoop(() -> {
      if (runtime.failed()) return Future.failedFuture(new IllegalStateException("node " + config.nodeId() + " has stopped serving"));
      NodeSample sample = runtime.sample();
      metrics.update(sample);
      return Future.succeededFuture(sample);
    });
  }

  private void closeQuietly() {
    if (storageWorker != null) storageWorker.close();
    if (storage != null) {
      try {
        storage.close();
      } catch (Exception e) {
        LOG.warning("closing the data dir failed: " + e);
      }
    }
  }

  @Override
  public long nodeId() {
    if (config == null) throw new IllegalStateException("the node reads its id from its deployment config when it starts");
    return config.nodeId();
  }

  @Override
  public Future<Applied> propose(byte[] command) {
    return onLoop(() -> runtime.propose(command, () -> context.runOnContext(v -> runtime.flushProposals())));
  }

  @Override
  public Future<Void> proposalRoom() {
    return onLoop(() -> runtime.proposalRoom());
  }

  @Override
  public Future<byte[]> query(byte[] query) {
    return onLoop(() -> runtime.query(query));
  }

  @Override
  public Future<byte[]> query(byte[] query, long minAppliedIndex, long timeoutMs) {
    if (minAppliedIndex < 0 || timeoutMs <= 0) {
      return Future.failedFuture(new IllegalArgumentException("minAppliedIndex must be 0 or more and timeoutMs more"
          + " than 0, got " + minAppliedIndex + " and " + timeoutMs));
    }
    return onLoop(() -> {
      Promise<byte[]> answer = Promise.promise();
      long timer = vertx.setTimer(timeoutMs, id -> answer.tryFail(new TimeoutException("node " + config.nodeId()
          + " had not applied index " + minAppliedIndex + " after " + timeoutMs + " ms")));
      runtime.queryAt(minAppliedIndex, query).onComplete(result -> {
        vertx.cancelTimer(timer);
        if (result.succeeded()) answer.tryComplete(result.result());
        else answer.tryFail(result.cause());
      });
      return answer.future();
    });
  }

  @Override
  public Future<KnownLeader> leaderKnown() {
    Promise<KnownLeader> known = Promise.promise();
    Registration watching = onLeaderChange(change -> {
      if (change.leaderId() == 0 || known.future().isComplete()) return;
      // The address comes from the membership; a leader lost meanwhile leaves this to the next change.
      knownLeader().onSuccess(leader -> {
        if (leader.id() != 0) known.tryComplete(leader);
      }).onFailure(known::tryFail);
    });
    return known.future().onComplete(done -> watching.cancel());
  }

  @Override
  public Registration onLeaderChange(Consumer<LeaderChange> listener) {
    return leaderListeners.add(listener);
  }

  @Override
  public Registration onMembershipChange(Consumer<MembershipChange> listener) {
    return membershipListeners.add(listener);
  }

  @Override
  public Future<Long> takeSnapshot() {
    return onLoop(() -> runtime.takeSnapshot());
  }

  @Override
  public Future<byte[]> linearizableRead(byte[] query) {
    return onLoop(() -> runtime.readIndex().compose(index -> runtime.queryAt(index, query)));
  }

  @Override
  public Future<byte[]> leaseRead(byte[] query) {
    return onLoop(() -> {
      // The ticks a stall left due go to the core first, so the lease is judged at the real time (see TickClock).
      long due = tickClock == null ? 0 : tickClock.elapsed();
      if (due > 0) runtime.clockCaughtUp(due);
      return runtime.leaseReadIndex().compose(index -> runtime.queryAt(index, query));
    });
  }

  @Override
  public Future<Long> transferLeadership(long target) {
    return onLoop(() -> runtime.transferLeadership(target));
  }

  @Override
  public Future<NodeStatus> status() {
    return onLoop(() -> dataDirSize.current().map(bytes -> runtime.status(tickMs, bytes)));
  }

  @Override
  public Future<KnownLeader> knownLeader() {
    return onLoop(() -> {
      RaftCore core = runtime.core();
      long leader = core.leaderId();
      Node node = leader == 0 ? null : core.membership().nodes().get(leader);
      HostAndPort address = node == null || node.clientAddress().isEmpty() ? null : HostAndPort.parse(node.clientAddress());
      return Future.succeededFuture(leader == 0 ? KnownLeader.NONE : new KnownLeader(leader, address));
    });
  }

  /**
   * Serves the client port from an event loop of its own: decoding and answering clients' gRPC calls (HTTP/2
   * framing, protobuf) then runs beside the Raft event loop instead of taking turns with it. Client calls reach the
   * node through {@link #onLoop}, which hands the work to the Raft loop and the answer back.
   */
  private Future<HttpServer> listenOnOwnEventLoop(HttpServer server, HostAndPort address) {
    return onOwnEventLoop(() -> server.listen(address.port(), address.host()));
  }

  /** Runs {@code start} on the client port's event loop, so the server it starts is served from that loop. */
  private Future<HttpServer> onOwnEventLoop(Supplier<Future<HttpServer>> start) {
    Future<Context> loop = clientLoop != null ? Future.succeededFuture(clientLoop)
        : OwnEventLoop.create(vertx, "raftnode-" + config.nodeId() + "-client-loop").onSuccess(created -> clientLoop = created);
    return loop.compose(context -> {
      Promise<HttpServer> listening = Promise.promise();
      context.runOnContext(v -> start.get().onComplete(listening));
      return listening.future();
    });
  }

  /** Runs {@code work} on this node's event loop and delivers the result on the caller's (see {@link RaftLoopCalls}). */
  private <T> Future<T> onLoop(Supplier<Future<T>> work) {
    if (runtime == null) return Future.failedFuture(new IllegalStateException("the node is not started"));
    return loopCalls.call(work);
  }

  /**
   * What the node's own services get in place of this handle: the embedding API plus what they need beyond it
   * (the Vert.x instance, forwarding, limits, membership changes and snapshot downloads in the core's types).
   */
  private final class ServiceView extends ForwardingNode {
    ServiceView() {
      super(RaftNodeVerticle.this);
    }

    @Override
    public Vertx vertx() {
      return vertx;
    }

    @Override
    public long proposalTimeoutMs() {
      return PROPOSAL_TIMEOUT_MS;
    }

    @Override
    public NodeConfig.Limits limits() {
      return config.limits();
    }

    @Override
    public StateMachine stateMachine() {
      return stateMachine;
    }

    @Override
    public HttpClientOptions clientPortCallOptions() {
      return PeerTransportOptions.forwarding(config);
    }

    @Override
    public Future<HostAndPort> leaderClientAddress() {
      return knownLeader().map(leader -> leader.id() == config.nodeId() ? null : leader.clientAddress());
    }

    @Override
    public Future<StoredMembership> changeMembership(MembershipCommand command, long expectedIndex) {
      return onLoop(() -> runtime.changeMembership(command, expectedIndex));
    }

    @Override
    public Future<SnapshotDownload> openSnapshot(boolean fresh) {
      return onLoop(() -> runtime.openSnapshot(fresh));
    }
  }
}
