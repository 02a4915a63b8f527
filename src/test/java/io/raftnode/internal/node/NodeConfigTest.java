package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.ConfigException;
import io.raftnode.HostAndPort;
import io.raftnode.NodeConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
  @TempDir Path dir;

  /** The documented three-node example, as node 1 sees it. */
  private static JsonObject valid() {
    return new JsonObject()
        .put("node_id", 1)
        .put("peer_address", "127.0.0.1:7101")
        .put("client_address", "127.0.0.1:7201")
        .put("data_dir", "data/node1")
        .put("members", new JsonObject()
            .put("1", member(7101, 7201))
            .put("2", member(7102, 7202))
            .put("3", member(7103, 7203)))
        .put("tls", new JsonObject().put("enabled", false)
            .put("cert", "conf/tls/node1.crt").put("key", "conf/tls/node1.key").put("ca", "conf/tls/ca.crt"))
        .put("client_tls", new JsonObject().put("enabled", false).put("require_client_cert", false))
        .put("raft", new JsonObject().put("heartbeat_interval_ms", 50)
            .put("election_timeout_min_ms", 150).put("election_timeout_max_ms", 300));
  }

  private static JsonObject member(int peerPort, int clientPort) {
    return new JsonObject().put("peer_address", "127.0.0.1:" + peerPort).put("client_address", "127.0.0.1:" + clientPort);
  }

  private Path write(String text) throws IOException {
    Path file = dir.resolve("node.json");
    Files.writeString(file, text);
    return file;
  }

  /** Loads {@code valid()} after {@code edit} and expects a ConfigException naming the file and {@code key}. */
  private ConfigException rejects(Consumer<JsonObject> edit, String key, String... mentions) throws IOException {
    JsonObject json = valid();
    edit.accept(json);
    Path file = write(json.encodePrettily());
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.load(file), json::encode);
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertEquals(key, e.key(), e.getMessage());
    assertTrue(e.getMessage().contains(key.substring(key.lastIndexOf('.') + 1)), e.getMessage());
    for (String mention : mentions) assertTrue(e.getMessage().contains(mention), e.getMessage());
    return e;
  }

  private static JsonObject section(JsonObject json, String name) {
    return json.getJsonObject(name);
  }

  @Test
  void loadsAFullFile() throws Exception {
    NodeConfig config = NodeConfig.load(write(valid().encodePrettily()));
    Path cwd = Path.of("").toAbsolutePath();
    assertEquals(1, config.nodeId());
    assertEquals(new HostAndPort("127.0.0.1", 7101), config.peerAddress());
    assertEquals(new HostAndPort("127.0.0.1", 7201), config.clientAddress());
    assertEquals(cwd.resolve("data/node1"), config.dataDir(), "relative paths resolve against the working dir");
    assertEquals(3, config.members().size());
    assertEquals(new NodeConfig.Member("127.0.0.1:7102", "127.0.0.1:7202"), config.members().get(2L));
    assertEquals(new NodeConfig.Tls(false, cwd.resolve("conf/tls/node1.crt"), cwd.resolve("conf/tls/node1.key"),
        cwd.resolve("conf/tls/ca.crt")), config.tls());
    assertEquals(new NodeConfig.ClientTls(false, false, null, null, null), config.clientTls());
    assertEquals(new NodeConfig.RaftTimings(50, 150, 300), config.raft());
  }

  @Test
  void optionalSectionsDefault() throws Exception {
    JsonObject json = valid();
    for (String name : new String[] {"members", "tls", "client_tls", "raft"}) json.remove(name);
    NodeConfig config = NodeConfig.fromJson(json, dir);
    assertTrue(config.members().isEmpty(), "absent members = start empty and wait to be added");
    assertEquals(new NodeConfig.Tls(false, null, null, null), config.tls());
    assertEquals(new NodeConfig.ClientTls(false, false, null, null, null), config.clientTls());
    assertEquals(new NodeConfig.RaftTimings(50, 150, 300), config.raft());
    assertEquals(dir.resolve("data/node1"), config.dataDir(), "fromJson resolves against the given base dir");
  }

  @Test
  void aNodeOutsideMembersIsValid() throws Exception {
    JsonObject json = valid().put("node_id", 4).put("peer_address", "127.0.0.1:7104").put("client_address", "127.0.0.1:7204");
    assertEquals(4, NodeConfig.fromJson(json, dir).nodeId());
    assertEquals(0, NodeConfig.fromJson(json.put("members", new JsonObject()), dir).members().size());
  }

  /** The shipped configs turn mTLS on with the files scripts/gen-certs.sh writes; made here under {@code dir}. */
  @Test
  void shippedConfigsAreValid() throws Exception {
    Process gen = new ProcessBuilder("bash", "scripts/gen-certs.sh", "--dir", dir.resolve("conf/tls").toString(), "3")
        .redirectErrorStream(true).redirectOutput(dir.resolve("gen-certs.out").toFile()).start();
    assertEquals(0, gen.waitFor(), () -> read(dir.resolve("gen-certs.out")));
    for (int i = 1; i <= 3; i++) {
      NodeConfig config = NodeConfig.fromJson(NodeConfigParser.read(Path.of("conf/node" + i + ".json")), dir);
      assertEquals(i, config.nodeId());
      assertEquals(3, config.members().size());
      assertTrue(config.tls().enabled());
      assertEquals(dir.resolve("conf/tls/node" + i + ".crt"), config.tls().cert());
      assertFalse(config.clientTls().enabled());
      assertEquals(config.peerAddress().toString(), config.members().get((long) i).peerAddress());
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void fileProblems() throws Exception {
    Path missing = dir.resolve("missing.json");
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.load(missing));
    assertEquals(missing + ": config file not found", e.getMessage());

    e = assertThrows(ConfigException.class, () -> NodeConfig.load(dir));
    assertTrue(e.getMessage().startsWith(dir + ": cannot read config file"), e.getMessage());

    Path empty = write("  \n");
    e = assertThrows(ConfigException.class, () -> NodeConfig.load(empty));
    assertEquals(empty + ": config file is empty", e.getMessage());

    Path array = write("[1, 2]");
    e = assertThrows(ConfigException.class, () -> NodeConfig.load(array));
    assertTrue(e.getMessage().contains("must be a JSON object"), e.getMessage());
  }

  @Test
  void badJsonNamesThePosition() throws Exception {
    Path file = write("{\n  \"node_id\": 1,\n  \"peer_address\" \"127.0.0.1:7101\"\n}");
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.load(file));
    assertTrue(e.getMessage().startsWith(file + ": invalid JSON: "), e.getMessage());
    assertTrue(e.getMessage().contains("line 3, column"), e.getMessage());
    assertFalse(e.getMessage().contains("Source:"), "the parser's echo of the input is left out: " + e.getMessage());
  }

  @Test
  void leaseClockDriftDefaultsToAFifthOfTheMinimumElectionTimeoutAndLeavesALeaseOfOneTick() throws Exception {
    assertEquals(30, new NodeConfig.RaftTimings(50, 150, 300).leaseClockDriftMs());
    // 150 ms are 15 ticks of 10 ms; the lease is 14 ticks less the bound, so 13 ticks (130 ms) is the most.
    rejects(j -> section(j, "raft").put("lease_clock_drift_ms", 131), "raft.lease_clock_drift_ms", "must be in 0..130, got 131",
        "less one tick", "at least one tick");
    rejects(j -> section(j, "raft").put("lease_clock_drift_ms", 150), "raft.lease_clock_drift_ms", "0..130");
    rejects(j -> section(j, "raft").put("lease_clock_drift_ms", -1), "raft.lease_clock_drift_ms", "0..130, got -1");
    for (long drift : new long[] {0, 130}) {
      JsonObject json = valid();
      section(json, "raft").put("lease_clock_drift_ms", drift);
      assertEquals(drift, NodeConfig.fromJson(json, dir).validate().raft().leaseClockDriftMs());
    }
    // With 5 ms heartbeats a tick is 1 ms: 40 ticks of minimum election timeout allow a drift of 38 ms.
    rejects(j -> section(j, "raft").put("heartbeat_interval_ms", 5).put("election_timeout_min_ms", 40)
        .put("lease_clock_drift_ms", 39), "raft.lease_clock_drift_ms", "0..38", "ticks of 1 ms");
  }

  @Test
  void membershipSettingsDefaultAndAreChecked() throws Exception {
    assertEquals(NodeConfig.Membership.DEFAULTS, NodeConfig.fromJson(valid(), dir).membership());
    JsonObject json = valid();
    section(json, "raft").put("learner_catch_up_entries", 50).put("bootstrap_grace_ms", 0);
    assertEquals(new NodeConfig.Membership(50, 0), NodeConfig.fromJson(json, dir).membership());
    rejects(j -> section(j, "raft").put("learner_catch_up_entries", -1), "raft.learner_catch_up_entries", "0 or more");
    rejects(j -> section(j, "raft").put("bootstrap_grace_ms", -5), "raft.bootstrap_grace_ms", "0 or more");
  }

  @Test
  void theFlowControlBoundsAreConfigAndDefaultToAShareOfTheHeap() throws Exception {
    JsonObject json = valid().put("limits", new JsonObject().put("max_pending_proposal_bytes", 5 << 20)
        .put("max_pending_append_bytes", 6 << 20));
    NodeConfig config = NodeConfig.load(write(json.encode()));
    assertEquals(5 << 20, config.limits().maxPendingProposalBytes());
    assertEquals(6 << 20, config.limits().maxPendingAppendBytes());
    rejects(j -> j.put("limits", new JsonObject().put("max_pending_proposal_bytes", 1000)),
        "limits.max_pending_proposal_bytes", "at least " + NodeConfig.Limits.DEFAULTS.largestProposalBytes());
    rejects(j -> j.put("limits", new JsonObject().put("max_value_bytes", 4 << 20).put("max_pending_append_bytes", 8 << 20)),
        "limits.max_pending_append_bytes", "one largest write");
    // Large values raise the default to one largest write.
    NodeConfig big = NodeConfig.load(write(valid().put("limits", new JsonObject().put("max_value_bytes", 7 << 20)).encode()));
    assertTrue(big.limits().maxPendingProposalBytes() >= big.limits().largestProposalBytes());

    long mib = 1 << 20;
    assertEquals(16 * mib, NodeConfig.Limits.defaultPendingBytes(128 * mib));
    assertEquals(8 * mib, NodeConfig.Limits.defaultPendingBytes(32 * mib));
    assertEquals(64 * mib, NodeConfig.Limits.defaultPendingBytes(4096 * mib));
    assertEquals(4 * mib, NodeConfig.Replication.defaultLogCacheBytes(128 * mib));
    assertEquals(8 * mib, NodeConfig.Replication.defaultLogCacheBytes(1024 * mib));
    assertEquals(16 * mib, NodeConfig.Replication.defaultLogCacheBytes(4096 * mib));
    assertEquals(8 * mib, NodeConfig.Replication.defaultInflightBytes(128 * mib));
    assertEquals(64 * mib, NodeConfig.Replication.defaultInflightBytes(1024 * mib));
  }

  @Test
  void theStoreQuotaIsConfigAndDefaultsToAQuarterOfTheHeap() throws Exception {
    NodeConfig config = NodeConfig.load(write(valid().put("limits", new JsonObject().put("max_store_bytes", 3 << 20))
        .encode()));
    assertEquals(3 << 20, config.limits().maxStoreBytes());
    assertEquals(Runtime.getRuntime().maxMemory() / 4, NodeConfig.fromJson(valid(), dir).limits().maxStoreBytes());
    rejects(j -> j.put("limits", new JsonObject().put("max_store_bytes", 0)),
        "limits.max_store_bytes", "at least " + NodeConfig.Limits.DEFAULTS.largestProposalBytes() + " (one largest write");
    rejects(j -> j.put("limits", new JsonObject().put("max_store_bytes", -1)), "limits.max_store_bytes", "at least");
    rejects(j -> j.put("limits", new JsonObject().put("max_store_bytes", "1g")), "limits.max_store_bytes", "integer");
    // Large values raise the default to one largest write.
    NodeConfig big = NodeConfig.load(write(valid().put("limits", new JsonObject().put("max_value_bytes", 7 << 20)).encode()));
    assertTrue(big.limits().maxStoreBytes() >= big.limits().largestProposalBytes());
    // Built in code: the four-bound constructor takes the heap's default, withMaxStoreBytes another.
    NodeConfig.Limits limits = new NodeConfig.Limits(64, 1024, 1 << 20, 1 << 20);
    assertEquals(Runtime.getRuntime().maxMemory() / 4, limits.maxStoreBytes());
    assertEquals(5 << 20, limits.withMaxStoreBytes(5 << 20).maxStoreBytes());
    assertEquals(1 << 20, limits.withMaxStoreBytes(5 << 20).maxPendingProposalBytes());

    long mib = 1 << 20;
    assertEquals(256 * mib, NodeConfig.Limits.defaultStoreBytes(1024 * mib));
    assertEquals(128 * mib, NodeConfig.Limits.defaultStoreBytes(512 * mib));
  }

  @Test
  void theLogCacheBoundIsConfigAndReachesTheCore() throws Exception {
    rejects(j -> j.put("replication", new JsonObject().put("log_cache_bytes", -1)), "replication.log_cache_bytes",
        "0 or more, got -1");
    JsonObject json = valid().put("replication", new JsonObject().put("log_cache_bytes", 1 << 20));
    NodeConfig config = NodeConfig.load(write(json.encode()));
    assertEquals(1 << 20, config.replication().logCacheBytes());
    assertEquals(1 << 20, TickTiming.of(config.raft(), config.replication()).coreConfig().logCacheBytes());
    assertEquals(NodeConfig.Replication.defaultLogCacheBytes(Runtime.getRuntime().maxMemory()),
        NodeConfig.load(write(valid().encode())).replication().logCacheBytes());
  }

  @Test
  void unknownKeysAtEveryLevel() throws Exception {
    rejects(j -> j.put("nodeid", 1), "nodeid", "unknown key \"nodeid\" at the top level", "node_id, peer_address");
    rejects(j -> section(j, "raft").put("heartbeat_ms", 50), "raft.heartbeat_ms",
        "unknown key \"heartbeat_ms\" in \"raft\" (known: heartbeat_interval_ms, election_timeout_min_ms, "
            + "election_timeout_max_ms, lease_clock_drift_ms, snapshot_threshold_entries, snapshot_keep_tail_entries, "
            + "snapshot_chunk_bytes, snapshot_threshold_bytes, snapshot_keep_tail_bytes, learner_catch_up_entries, "
            + "bootstrap_grace_ms)");
    rejects(j -> section(j, "tls").put("certificate", "x"), "tls.certificate", "in \"tls\"");
    rejects(j -> section(j, "client_tls").put("require_cert", true), "client_tls.require_cert", "require_client_cert");
    rejects(j -> section(j, "members").getJsonObject("2").put("address", "x"), "members.2.address", "in \"members.2\"");
  }

  @Test
  void missingRequiredKeys() throws Exception {
    for (String key : new String[] {"node_id", "peer_address", "client_address", "data_dir"})
      rejects(j -> j.remove(key), key, "missing required key \"" + key + "\"");
    rejects(j -> section(j, "members").getJsonObject("3").remove("peer_address"), "members.3.peer_address", "missing");
    rejects(j -> section(j, "members").getJsonObject("3").remove("client_address"), "members.3.client_address", "missing");
  }

  @Test
  void wrongTypes() throws Exception {
    rejects(j -> j.put("node_id", "1"), "node_id", "must be an integer, got the string \"1\"");
    rejects(j -> j.put("node_id", 1.5), "node_id", "must be an integer");
    rejects(j -> j.put("peer_address", 7101), "peer_address", "must be a string");
    rejects(j -> j.putNull("data_dir"), "data_dir", "got null");
    rejects(j -> j.put("members", new JsonArray()), "members", "must be an object");
    rejects(j -> section(j, "members").put("2", "127.0.0.1:7102"), "members.2", "must be an object");
    rejects(j -> j.put("raft", 50), "raft", "must be an object");
    rejects(j -> section(j, "raft").put("heartbeat_interval_ms", "50"), "raft.heartbeat_interval_ms", "integer");
    rejects(j -> section(j, "tls").put("enabled", "yes"), "tls.enabled", "true or false");
    rejects(j -> section(j, "client_tls").put("require_client_cert", 0), "client_tls.require_client_cert", "true or false");
  }

  @Test
  void nodeIdMustBePositive() throws Exception {
    rejects(j -> j.put("node_id", 0), "node_id", "must be 1 or more, got 0");
    rejects(j -> j.put("node_id", -3), "node_id", "got -3");
  }

  @Test
  void badAddresses() throws Exception {
    rejects(j -> j.put("peer_address", "127.0.0.1"), "peer_address", "not a valid address", "host:port");
    rejects(j -> j.put("client_address", "127.0.0.1:0"), "client_address", "port must be in 1..65535");
    rejects(j -> j.put("peer_address", "localhost:http"), "peer_address", "not a number");
    rejects(j -> section(j, "members").getJsonObject("2").put("client_address", ":7202"), "members.2.client_address",
        "not a valid address");
    rejects(j -> j.put("client_address", "127.0.0.1:7101"), "client_address", "must differ");
  }

  @Test
  void memberIdsMustBePositiveIntegers() throws Exception {
    for (String id : new String[] {"0", "-1", "a", "01", "1.5", "+2", ""})
      rejects(j -> section(j, "members").put(id, member(7109, 7209)), "members." + id,
          "member id \"" + id + "\"", "positive integer");
  }

  @Test
  void membersMustNotShareAddresses() throws Exception {
    rejects(j -> section(j, "members").put("4", member(7102, 7204)), "members.4", "both use the address 127.0.0.1:7102");
  }

  @Test
  void selfInMembersMustMatchOwnAddresses() throws Exception {
    rejects(j -> section(j, "members").put("1", member(7111, 7201)), "members.1.peer_address",
        "127.0.0.1:7111", "127.0.0.1:7101");
    rejects(j -> section(j, "members").put("1", member(7101, 7211)), "members.1.client_address",
        "127.0.0.1:7211", "127.0.0.1:7201");
  }

  @Test
  void timingsMustBeOrderedAndPositive() throws Exception {
    rejects(j -> section(j, "raft").put("heartbeat_interval_ms", 150), "raft.heartbeat_interval_ms",
        "must be less than \"raft.election_timeout_min_ms\"");
    rejects(j -> section(j, "raft").put("election_timeout_min_ms", 300), "raft.election_timeout_min_ms",
        "must be less than \"raft.election_timeout_max_ms\"");
    rejects(j -> section(j, "raft").put("heartbeat_interval_ms", 0), "raft.heartbeat_interval_ms", "greater than 0");
    rejects(j -> section(j, "raft").put("election_timeout_min_ms", -1), "raft.election_timeout_min_ms", "greater than 0");
    rejects(j -> section(j, "raft").put("election_timeout_max_ms", 0), "raft.election_timeout_max_ms", "greater than 0");
  }

  @Test
  void enabledTlsNeedsItsFiles() throws Exception {
    for (String key : new String[] {"cert", "key", "ca"})
      rejects(j -> section(j, "tls").put("enabled", true).remove(key), "tls." + key, "required because tls.enabled");
    // Files named in the temp dir, so certificates a local cluster left under conf/tls cannot satisfy the check.
    rejects(j -> section(j, "tls").put("enabled", true).put("cert", dir.resolve("absent.crt").toString()),
        "tls.cert", "file not found");

    Path cert = Files.writeString(dir.resolve("n.crt"), "c");
    Path key = Files.writeString(dir.resolve("n.key"), "k");
    Path ca = Files.writeString(dir.resolve("ca.crt"), "a");
    JsonObject json = valid();
    json.put("tls", new JsonObject().put("enabled", true).put("cert", cert.toString()).put("key", key.toString())
        .put("ca", ca.toString()));
    json.put("client_tls", new JsonObject().put("enabled", true).put("require_client_cert", true));
    NodeConfig config = NodeConfig.fromJson(json, dir);
    assertEquals(new NodeConfig.ClientTls(true, true, cert, key, ca), config.clientTls(),
        "the client port uses the node's certificate unless client_tls names its own");
  }

  @Test
  void clientCertNeedsClientTls() throws Exception {
    rejects(j -> section(j, "client_tls").put("require_client_cert", true), "client_tls.require_client_cert",
        "\"client_tls.enabled\" is false");
    rejects(j -> j.put("client_tls", new JsonObject().put("enabled", true)).remove("tls"), "client_tls.cert",
        "required because client_tls.enabled");
  }

  @Test
  void validateChecksConfigsBuiltInCode() {
    NodeConfig config = new NodeConfig(1, HostAndPort.parse("127.0.0.1:7101"), HostAndPort.parse("127.0.0.1:7201"),
        Path.of("data"), new java.util.TreeMap<>(), new NodeConfig.Tls(false, null, null, null),
        new NodeConfig.ClientTls(false, false, null, null, null), new NodeConfig.RaftTimings(100, 100, 300));
    ConfigException e = assertThrows(ConfigException.class, config::validate);
    assertEquals("raft.heartbeat_interval_ms", e.key());
    assertNull(e.file());
  }
}
