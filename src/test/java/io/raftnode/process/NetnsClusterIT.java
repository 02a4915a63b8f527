package io.raftnode.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three node.jar processes on hosts of their own (network namespaces with their own addresses, {@link NetnsNetwork}),
 * with mTLS on the peer and client ports and certificates naming those addresses (node 1 is dialed by a host name,
 * known to the nodes through a hosts file of their JVM only). The cluster forms and takes writes from the root
 * namespace; the leader cut off by blackhole routes loses office, the other two elect a leader and writes go on;
 * once the routes are back the old leader follows and catches up, and every acknowledged write is on all three. A
 * fourth node whose certificate lacks its address is added as a learner and gets nothing: the leader's connections
 * fail hostname verification. With the address in its certificate it catches up. Root only: skipped otherwise.
 */
class NetnsClusterIT {
  private static final long WAIT_MS = 60_000;
  private static final int PEER_PORT = 7101;
  private static final int CLIENT_PORT = 7201;
  private static final String NODE1_NAME = "node1.raftnode.test";

  private static NetnsNetwork network;
  private static Path base;
  private static Path tls;
  private static Vertx vertx;
  private static final Map<Integer, Process> processes = new TreeMap<>();

  private ProcessClient admin;

  @BeforeAll
  static void hosts() throws Exception {
    Assumptions.assumeTrue("0".equals(NetnsNetwork.output("id", "-u").strip()),
        "NetnsClusterIT needs root (it creates network namespaces): skipped");
    Assumptions.assumeTrue(NetnsNetwork.available(), "NetnsClusterIT: `ip netns add` fails here: skipped");
    Path jar = Path.of("target", "node.jar");
    assertTrue(Files.isRegularFile(jar), "target/node.jar is missing: run mvn verify (or mvn package) first");
    NetnsNetwork.removeLeftovers();
    String subnet = "10.77." + ProcessHandle.current().pid() % 250;
    assertTrue(!NetnsNetwork.output(NetnsNetwork.IP, "route", "show").contains(subnet + ".0/24"),
        subnet + ".0/24 is already routed here; another run may be using it");
    network = new NetnsNetwork(subnet);
    network.create(4);
    base = Files.createDirectories(Path.of("target", "netns-cluster")).resolve("run-" + System.currentTimeMillis());
    tls = base.resolve("tls");
    // Node 4's certificate keeps gen-certs' loopback SANs only: it does not name the address it is dialed at.
    genCerts("--san", "1=" + network.address(1) + "," + NODE1_NAME, "--san", "2=" + network.address(2),
        "--san", "3=" + network.address(3), "4");
    Files.createDirectories(base);
    Files.writeString(base.resolve("hosts"), network.address(1) + " " + NODE1_NAME + "\n");
    for (int id = 1; id <= 4; id++) writeConfig(id);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    for (Process p : processes.values()) p.destroyForcibly();
    for (Process p : processes.values()) p.waitFor(10, TimeUnit.SECONDS);
    if (network != null) network.close();
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void formsTakesWritesSurvivesTheLeaderCutOffHealsAndRefusesACertificateWithoutItsAddress() throws Exception {
    admin = client(true);
    Writer writer = new Writer(client(true));
    try {
      for (int id = 1; id <= 3; id++) start(id);
      int first = awaitLeader(List.of(1, 2, 3), 0);
      writer.start();
      writer.awaitMore(20);

      int cut = awaitLeader(List.of(1, 2, 3), 0);
      List<Integer> others = new ArrayList<>(List.of(1, 2, 3));
      others.remove(Integer.valueOf(cut));
      long cutTerm = admin.status(address(cut)).getTerm();
      network.cutOff(cut, others);
      int next = awaitLeader(others, cutTerm);
      awaitCondition("the cut-off node " + cut + " no longer says it leads", () -> !isLeader(cut));
      writer.awaitMore(20);

      network.heal(cut, others);
      awaitCondition("node " + cut + " follows one of " + others + " and catches up", () -> followsAndApplied(cut, others));
      writer.awaitMore(20);
      writer.stop();
      awaitConverged(List.of(1, 2, 3));
      checkEveryAcknowledgedWrite(List.of(1, 2, 3), writer);
      System.out.println("netns cluster: first leader " + first + ", cut off " + cut + ", next leader " + next + ", "
          + writer.acknowledged.size() + " writes acknowledged");

      refusesALearnerWhoseCertificateLacksItsAddress(next, writer);
    } catch (Throwable e) {
      for (int id = 1; id <= 4; id++) System.err.println("node " + id + " log tail:\n" + logTail(id, 20));
      throw e;
    } finally {
      writer.stop();
      admin.close();
    }
  }

  /**
   * Node 4 serves its ports with a certificate naming 127.0.0.1 only. A client checking the host cannot reach it,
   * and once added as a learner the leader cannot either: node 4 stays at index 0 while the leader goes on failing
   * to hear from it. With its address in a new certificate and a restart, it catches up.
   */
  private void refusesALearnerWhoseCertificateLacksItsAddress(int leader, Writer writer) throws Exception {
    start(4);
    try (ProcessClient trusting = client(false)) {
      awaitCondition("node 4 answers a client that does not check its host", () -> trusting.status(address(4)) != null);
      assertNull(admin.status(address(4)), "a client checking the host refuses node 4's certificate");
      admin.addLearner(address(leader), 4, network.address(4) + ":" + PEER_PORT, network.address(4) + ":" + CLIENT_PORT);
      awaitCondition("the leader has not heard from learner 4 for 3 s", () -> unheardFor(leader, 4, 3000));
      // Node 4's side of it: its peer port saw the leader's TLS handshakes abandoned.
      assertTrue(logTail(4, 1000).contains("peer port " + network.address(4) + ":" + PEER_PORT + " refused a connection"),
          "node 4 logs the refused handshakes");
      StatusResponse learner = trusting.status(address(4));
      assertEquals(0, learner.getCommitIndex(), "node 4 received nothing: " + learner);
      assertEquals(0, learner.getLeaderId(), "node 4 never heard a leader: " + learner);
    }
    processes.remove(4).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    genCerts("--san", "4=" + network.address(4), "4");
    start(4);
    awaitConverged(List.of(1, 2, 3, 4));
    checkEveryAcknowledgedWrite(List.of(4), writer);
  }

  private boolean unheardFor(int leader, int member, long ms) {
    StatusResponse s = admin.status(address(leader));
    if (s == null || !s.getRole().equals("leader")) return false;
    for (MemberStatus m : s.getMembersList()) {
      if (m.getNodeId() == member) {
        assertEquals(0, m.getMatchIndex(), "the leader holds no match for learner " + member + ": " + m);
        return m.getProgressKnown() && m.getLastHeardMsAgo() >= ms;
      }
    }
    return false;
  }

  private boolean isLeader(int id) {
    StatusResponse s = admin.status(address(id));
    return s != null && s.getRole().equals("leader");
  }

  private boolean followsAndApplied(int id, List<Integer> leaders) {
    StatusResponse s = admin.status(address(id));
    if (s == null || !s.getRole().equals("follower") || !leaders.contains((int) s.getLeaderId())) return false;
    StatusResponse leader = admin.status(address((int) s.getLeaderId()));
    return leader != null && leader.getRole().equals("leader") && s.getAppliedIndex() >= leader.getCommitIndex();
  }

  /** Waits for a node among {@code candidates} that leads a term above {@code aboveTerm}; its id. */
  private int awaitLeader(List<Integer> candidates, long aboveTerm) throws InterruptedException {
    int[] leader = {0};
    awaitCondition("a leader among " + candidates + " above term " + aboveTerm, () -> {
      for (int id : candidates) {
        StatusResponse s = admin.status(address(id));
        if (s != null && s.getRole().equals("leader") && s.getTerm() > aboveTerm) {
          leader[0] = id;
          return true;
        }
      }
      return false;
    });
    return leader[0];
  }

  private void awaitConverged(List<Integer> ids) throws InterruptedException {
    awaitCondition("nodes " + ids + " follow one leader and applied its commit index", () -> {
      long leaderId = 0;
      long commit = 0;
      for (int id : ids) {
        StatusResponse s = admin.status(address(id));
        if (s == null || s.getLeaderId() == 0 || leaderId != 0 && s.getLeaderId() != leaderId) return false;
        leaderId = s.getLeaderId();
        if (s.getRole().equals("leader")) commit = s.getCommitIndex();
      }
      for (int id : ids) {
        StatusResponse s = admin.status(address(id));
        if (commit == 0 || s == null || s.getAppliedIndex() < commit) return false;
      }
      return true;
    });
  }

  private void checkEveryAcknowledgedWrite(List<Integer> ids, Writer writer) throws Exception {
    assertTrue(writer.acknowledged.size() >= 60, "writes were acknowledged throughout: " + writer.acknowledged.size());
    ProcessClient reader = ids.contains(4) ? client(false) : admin;
    for (int id : ids) {
      for (Map.Entry<String, String> write : writer.acknowledged.entrySet()) {
        GetResponse got = reader.get(address(id), write.getKey(), Consistency.STALE);
        assertTrue(got.getFound(), "node " + id + " lacks acknowledged key " + write.getKey());
        assertEquals(write.getValue(), ProcessClient.text(got.getValue()), "node " + id + ", key " + write.getKey());
      }
    }
    if (reader != admin) reader.close();
  }

  private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static SocketAddress address(int id) {
    return SocketAddress.inetSocketAddress(CLIENT_PORT, network.address(id));
  }

  /** A client presenting the client certificate; {@code verifyHost} false trusts any certificate of the CA. */
  private static ProcessClient client(boolean verifyHost) {
    return new ProcessClient(vertx, 1500, tls.resolve("ca.crt"), tls.resolve("client.crt"), tls.resolve("client.key"),
        verifyHost);
  }

  private static void genCerts(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/gen-certs.sh", "--dir", tls.toString()));
    command.addAll(List.of(args));
    NetnsNetwork.output(command.toArray(String[]::new));
  }

  private static String peerHost(int id) {
    return id == 1 ? NODE1_NAME : network.address(id);
  }

  /** Founders 1..3 list each other (node 1 by name); node 4 starts with no members, to be added. */
  private static void writeConfig(int id) throws Exception {
    StringBuilder members = new StringBuilder();
    for (int m = 1; m <= 3 && id <= 3; m++) {
      members.append(String.format("\"%d\": {\"peer_address\": \"%s:%d\", \"client_address\": \"%s:%d\"}%s", m,
          peerHost(m), PEER_PORT, peerHost(m), CLIENT_PORT, m < 3 ? ", " : ""));
    }
    String ca = tls.resolve("ca.crt").toAbsolutePath().toString();
    String config = "{\n"
        + "  \"node_id\": " + id + ",\n"
        + "  \"peer_address\": \"" + peerHost(id) + ":" + PEER_PORT + "\",\n"
        + "  \"client_address\": \"" + peerHost(id) + ":" + CLIENT_PORT + "\",\n"
        + "  \"data_dir\": \"" + base.resolve("node" + id).resolve("data").toAbsolutePath() + "\",\n"
        + "  \"members\": {" + members + "},\n"
        + "  \"tls\": {\"enabled\": true, \"cert\": \"" + tls.resolve("node" + id + ".crt").toAbsolutePath()
        + "\", \"key\": \"" + tls.resolve("node" + id + ".key").toAbsolutePath() + "\", \"ca\": \"" + ca + "\"},\n"
        + "  \"client_tls\": {\"enabled\": true, \"require_client_cert\": true, \"ca\": \"" + ca + "\"},\n"
        + "  \"raft\": {\"heartbeat_interval_ms\": 100, \"election_timeout_min_ms\": 500, \"election_timeout_max_ms\": 1000}\n"
        + "}\n";
    Files.createDirectories(base.resolve("node" + id));
    Files.writeString(base.resolve("node" + id).resolve("node.json"), config);
  }

  /**
   * Runs node {@code id} in its namespace. Its JVM resolves names from the run's hosts file only (Vert.x's own
   * resolver off, so the JDK's, which reads jdk.net.hosts.file, is used): the machine's /etc/hosts stays as it is.
   */
  private static void start(int id) throws Exception {
    Path dir = base.resolve("node" + id);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = network.inHost(id, List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djdk.net.hosts.file=" + base.resolve("hosts").toAbsolutePath(), "-Dvertx.disableDnsResolver=true",
        "-jar", Path.of("target", "node.jar").toAbsolutePath().toString(), "-conf", dir.resolve("node.json").toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    processes.put(id, pb.start());
  }

  private static String logTail(int id, int lines) {
    try {
      List<String> all = Files.readAllLines(base.resolve("node" + id).resolve("node.log"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (Exception e) {
      return "(no log: " + e + ")";
    }
  }

  /** Writes unique keys, one at a time, to nodes 1..3 in turn; remembers those acknowledged. */
  private static final class Writer {
    final Map<String, String> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
    private final ProcessClient client;
    private volatile boolean running = true;
    private final Thread thread = new Thread(this::loop, "netns-writer");

    Writer(ProcessClient client) {
      this.client = client;
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      if (!running) return;
      running = false;
      if (thread.isAlive()) thread.join(30_000);
      client.close();
    }

    void awaitMore(int count) throws InterruptedException {
      int target = acknowledged.size() + count;
      awaitCondition(count + " more acknowledged writes", () -> acknowledged.size() >= target);
    }

    private void loop() {
      for (int n = 0; running; n++) {
        String key = "h" + n;
        try {
          client.put(address(1 + n % 3), key, "v" + n);
          acknowledged.put(key, "v" + n);
        } catch (Exception e) {
          // Not acknowledged: no claim is made about it (it may or may not have applied).
        }
      }
    }
  }
}
