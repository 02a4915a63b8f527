package io.raftnode.cluster;

import io.raftnode.HostAndPort;
import io.raftnode.NodeConfig;
import io.raftnode.RaftNodeVerticle;
import io.raftnode.internal.kv.KvStateMachine;
import io.raftnode.internal.service.AdminApi;
import io.raftnode.internal.service.KvApi;
import io.raftnode.statemachine.StateMachine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * N raftnode verticles in one Vert.x instance, talking real gRPC over loopback, each with its own data dir.
 * Nodes can be stopped and started again on the same data dir.
 */
final class TestCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);

  final Vertx vertx = Vertx.vertx();
  private final Path baseDir;
  private final SortedMap<Long, NodeConfig.Member> members = new TreeMap<>();
  private final Map<Long, NodeConfig> configs = new HashMap<>();
  private final Map<Long, String> deployments = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<Long, KvTestClient> clients = new HashMap<>();

  private final Path certDir;
  private final boolean clientTls;
  private Supplier<StateMachine> stateMachines = KvStateMachine::new;

  TestCluster(Path baseDir, int size) throws IOException {
    this(baseDir, size, null, false);
  }

  /**
   * With {@code certDir} (made by {@link TestCerts#cluster}) the peer port runs mTLS with nodeI.crt; with
   * {@code clientTls} as well, the client port runs TLS requiring client certificates and the test clients
   * present client.crt.
   */
  TestCluster(Path baseDir, int size, Path certDir, boolean clientTls) throws IOException {
    this.baseDir = baseDir;
    this.certDir = certDir;
    this.clientTls = clientTls;
    java.util.List<Integer> ports = io.raftnode.testing.FreePorts.of(2 * size);
    for (long id = 1; id <= size; id++) {
      members.put(id, new NodeConfig.Member("127.0.0.1:" + ports.get((int) (2 * id - 2)), "127.0.0.1:" + ports.get((int) (2 * id - 1))));
    }
    for (long id = 1; id <= size; id++) {
      NodeConfig.Member self = members.get(id);
      configs.put(id, new NodeConfig(id, HostAndPort.parse(self.peerAddress()), HostAndPort.parse(self.clientAddress()),
          baseDir.resolve("node" + id), members,
          tls(id), clientTls(id),
          new NodeConfig.RaftTimings(50, 150, 300)));
    }
  }

  private NodeConfig.Tls tls(long id) {
    if (certDir == null) return new NodeConfig.Tls(false, null, null, null);
    return new NodeConfig.Tls(true, certDir.resolve("node" + id + ".crt"), certDir.resolve("node" + id + ".key"),
        certDir.resolve("ca.crt"));
  }

  private NodeConfig.ClientTls clientTls(long id) {
    if (!clientTls) return new NodeConfig.ClientTls(false, false, null, null, null);
    return new NodeConfig.ClientTls(true, true, certDir.resolve("node" + id + ".crt"),
        certDir.resolve("node" + id + ".key"), certDir.resolve("ca.crt"));
  }

  /** HTTP/2 options a test client of the client port uses: TLS with client.crt when the port requires it. */
  HttpClientOptions clientPortOptions() {
    HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    if (!clientTls) return options;
    return options.setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certDir.resolve("client.crt").toString())
            .setKeyPath(certDir.resolve("client.key").toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(certDir.resolve("ca.crt").toString()));
  }

  /** Gives every node these snapshot settings (call before starting them). */
  TestCluster withSnapshots(NodeConfig.Snapshots snapshots) {
    configs.replaceAll((id, c) -> c.withSnapshots(snapshots));
    return this;
  }

  /** Gives every node these replication settings (call before starting them). */
  TestCluster withReplication(NodeConfig.Replication replication) {
    configs.replaceAll((id, c) -> c.withReplication(replication));
    return this;
  }

  /** Gives every node these request size limits (call before starting them). */
  TestCluster withLimits(NodeConfig.Limits limits) {
    configs.replaceAll((id, c) -> c.withLimits(limits));
    return this;
  }

  /** Gives every node started from now on a state machine from {@code factory} (a KvStateMachine by default). */
  TestCluster withStateMachines(Supplier<StateMachine> factory) {
    this.stateMachines = factory;
    return this;
  }

  /** Gives every node a metrics port of its own on 127.0.0.1 (call before starting them). */
  TestCluster withMetrics() throws IOException {
    java.util.List<Integer> ports = io.raftnode.testing.FreePorts.of(configs.size());
    int i = 0;
    for (long id : new java.util.TreeSet<>(configs.keySet())) {
      NodeConfig c = configs.get(id);
      NodeConfig.Operations ops = new NodeConfig.Operations(HostAndPort.parse("127.0.0.1:" + ports.get(i++)),
          c.operations().healthMaxApplyGap(), null, false);
      configs.put(id, c.withOperations(ops));
    }
    return this;
  }

  /** Deletes a stopped node's data dir: the node comes back empty, as after losing its disk. */
  void wipe(long id) throws IOException {
    if (isRunning(id)) throw new IllegalStateException("stop node " + id + " first");
    Path dir = configs.get(id).dataDir();
    if (!java.nio.file.Files.exists(dir)) return;
    try (var paths = java.nio.file.Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(p);
    }
  }

  /**
   * Starts every node at once, as an operator starting a cluster does: a founding member with an empty data dir
   * waits for the other founders before it bootstraps, so one at a time would never finish.
   */
  void startAll() {
    java.util.List<Long> ids = new java.util.ArrayList<>(configs.keySet());
    java.util.List<Future<String>> started = new java.util.ArrayList<>();
    for (long id : ids) started.add(deploy(id));
    await(Future.all(started));
    for (int i = 0; i < ids.size(); i++) deployments.put(ids.get(i), started.get(i).result());
  }

  void start(long id) {
    deployments.put(id, await(deploy(id)));
  }

  /** Starts node {@code id} without waiting; once its start succeeds it counts as running (stop, awaitLeader). */
  Future<String> startLater(long id) {
    return deploy(id).onSuccess(deploymentId -> deployments.put(id, deploymentId));
  }

  /** Starts node {@code id} and returns the outcome, successful or not, without waiting for it. */
  Future<String> deploy(long id) {
    return vertx.deployVerticle(new RaftNodeVerticle(configs.get(id), stateMachines.get(), new KvApi(), new AdminApi()));
  }

  /**
   * A new node with {@code "members": {}} and a fresh id and ports, as an operator starts a machine that is to be
   * added: it waits, empty, until the leader adds it. Not started yet; returns its id.
   */
  long addEmptyNode() throws IOException {
    long id = configs.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    java.util.List<Integer> ports = io.raftnode.testing.FreePorts.of(2);
    NodeConfig any = configs.values().iterator().next();
    configs.put(id, new NodeConfig(id, HostAndPort.parse("127.0.0.1:" + ports.get(0)),
        HostAndPort.parse("127.0.0.1:" + ports.get(1)), baseDir.resolve("node" + id), new TreeMap<>(), tls(id),
        clientTls(id), any.raft()).withReplication(any.replication()).withSnapshots(any.snapshots())
        .withMembership(any.membership()));
    return id;
  }

  /** Gives node {@code id} another config (call while it is stopped). */
  void reconfigure(long id, java.util.function.UnaryOperator<NodeConfig> change) {
    configs.put(id, change.apply(configs.get(id)));
  }

  void stop(long id) {
    String deploymentId = deployments.remove(id);
    if (deploymentId != null) await(vertx.undeploy(deploymentId));
  }

  boolean isRunning(long id) {
    return deployments.containsKey(id);
  }

  Iterable<Long> ids() {
    return configs.keySet();
  }

  /** The ids of the running nodes. */
  java.util.Set<Long> running() {
    return new java.util.TreeSet<>(deployments.keySet());
  }

  NodeConfig config(long id) {
    return configs.get(id);
  }

  KvTestClient client(long id) {
    return clients.computeIfAbsent(id, n -> new KvTestClient(vertx, configs.get(n).clientAddress(), clientPortOptions()));
  }

  /** Waits until exactly one running node reports itself leader and every running node agrees; returns it. */
  long awaitLeader() {
    return awaitLeaderAmong(deployments.keySet());
  }

  /** Like {@link #awaitLeader()}, asking only the nodes {@code ids} (running ones); the leader must be one of them. */
  long awaitLeaderAmong(java.util.Collection<Long> ids) {
    long[] leader = {0};
    awaitCondition("one leader that every running node of " + ids + " follows", () -> {
      long seen = 0;
      for (long id : ids) {
        if (!deployments.containsKey(id)) continue;
        var status = client(id).status();
        if (status == null || status.getLeaderId() == 0) return false;
        if (seen != 0 && seen != status.getLeaderId()) return false;
        seen = status.getLeaderId();
      }
      if (seen == 0 || !ids.contains(seen) || !deployments.containsKey(seen)) return false;
      var leaderStatus = client(seen).status();
      if (leaderStatus == null || !leaderStatus.getRole().equals("leader")) return false;
      leader[0] = seen;
      return true;
    });
    return leader[0];
  }

  /** Polls {@code condition} until it holds, failing the test if it does not within {@link #WAIT}. */
  static void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /** The remote status a call failed with; an assertion error if it succeeded, failed otherwise or did not end. */
  static io.raftnode.internal.transport.RemoteCallException remoteFailure(Future<?> call) {
    try {
      call.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof io.raftnode.internal.transport.RemoteCallException remote) return remote;
      throw new AssertionError("unexpected failure", e);
    } catch (Exception e) {
      throw new AssertionError("no answer", e);
    }
    throw new AssertionError("the call succeeded");
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("operation failed: " + e, e);
    }
  }

  @Override
  public void close() {
    clients.values().forEach(KvTestClient::close);
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("closing Vert.x failed", e);
    }
  }
}
