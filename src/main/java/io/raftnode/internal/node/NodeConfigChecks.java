package io.raftnode.internal.node;

import io.raftnode.ConfigException;
import io.raftnode.HostAndPort;
import io.raftnode.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * What {@link NodeConfig#validate()} checks beyond the types: ranges, consistency between keys, and that TLS has
 * its files. Each problem is a {@link ConfigException} named by its JSON key, as an operator sees it.
 */
public final class NodeConfigChecks {
  private final long nodeId;
  private final HostAndPort peerAddress;
  private final HostAndPort clientAddress;
  private final Path dataDir;
  private final SortedMap<Long, NodeConfig.Member> members;
  private final NodeConfig.Tls tls;
  private final NodeConfig.ClientTls clientTls;
  private final NodeConfig.RaftTimings raft;
  private final NodeConfig.Replication replication;
  private final NodeConfig.Snapshots snapshots;
  private final NodeConfig.Membership membership;
  private final NodeConfig.Limits limits;
  private final NodeConfig.Operations operations;

  private NodeConfigChecks(NodeConfig c) {
    nodeId = c.nodeId();
    peerAddress = c.peerAddress();
    clientAddress = c.clientAddress();
    dataDir = c.dataDir();
    members = c.members();
    tls = c.tls();
    clientTls = c.clientTls();
    raft = c.raft();
    replication = c.replication();
    snapshots = c.snapshots();
    membership = c.membership();
    limits = c.limits();
    operations = c.operations();
  }

  /** Throws the first problem found in {@code config}. */
  public static void check(NodeConfig config) throws ConfigException {
    new NodeConfigChecks(config).all();
  }

  private void all() throws ConfigException {
    if (nodeId < 1) throw new ConfigException("node_id", "\"node_id\" must be 1 or more, got " + nodeId);
    require(peerAddress != null, "peer_address", "missing required key \"peer_address\"");
    require(clientAddress != null, "client_address", "missing required key \"client_address\"");
    require(dataDir != null, "data_dir", "missing required key \"data_dir\"");
    require(!peerAddress.equals(clientAddress), "client_address",
        "\"peer_address\" and \"client_address\" must differ, both are " + peerAddress);
    validateMembers();
    validateTimings();
    validateTls();
    validateReplication();
    validateSnapshots();
    require(membership != null, "raft", "membership settings must not be null");
    require(membership.learnerCatchUpEntries() >= 0, "raft.learner_catch_up_entries",
        "\"raft.learner_catch_up_entries\" must be 0 or more, got " + membership.learnerCatchUpEntries());
    require(membership.bootstrapGraceMs() >= 0, "raft.bootstrap_grace_ms",
        "\"raft.bootstrap_grace_ms\" must be 0 or more, got " + membership.bootstrapGraceMs());
    validateLimits();
    validateOperations();
  }

  private void validateMembers() throws ConfigException {
    require(members != null, "members", "\"members\" must not be null");
    Map<HostAndPort, Long> seen = new HashMap<>();
    for (Map.Entry<Long, NodeConfig.Member> member : members.entrySet()) {
      long id = member.getKey();
      String key = "members." + id;
      require(id >= 1, key, "member id " + id + " in \"members\" must be a positive integer");
      HostAndPort peer = memberAddress(key + ".peer_address", member.getValue().peerAddress());
      HostAndPort client = memberAddress(key + ".client_address", member.getValue().clientAddress());
      for (HostAndPort address : new HostAndPort[] {peer, client}) {
        Long other = seen.putIfAbsent(address, id);
        require(other == null || other == id, key,
            "members " + other + " and " + id + " both use the address " + address);
      }
      require(!peer.equals(client), key, "member " + id + " uses " + peer + " as both peer and client address");
      if (id == nodeId) {
        require(peer.equals(peerAddress), key + ".peer_address", "this node (" + id + ") is listed in \"members\" "
            + "with peer_address " + peer + " but its \"peer_address\" is " + peerAddress);
        require(client.equals(clientAddress), key + ".client_address", "this node (" + id + ") is listed in "
            + "\"members\" with client_address " + client + " but its \"client_address\" is " + clientAddress);
      }
    }
  }

  private static HostAndPort memberAddress(String key, String text) throws ConfigException {
    require(text != null && !text.isEmpty(), key, "missing required key \"" + key + "\"");
    try {
      return HostAndPort.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "\"" + key + "\" is not a valid address: " + e.getMessage());
    }
  }

  private void validateTimings() throws ConfigException {
    require(raft != null, "raft", "\"raft\" must not be null");
    long heartbeat = raft.heartbeatIntervalMs();
    long min = raft.electionTimeoutMinMs();
    long max = raft.electionTimeoutMaxMs();
    require(heartbeat > 0, "raft.heartbeat_interval_ms", "\"raft.heartbeat_interval_ms\" must be greater than 0, got " + heartbeat);
    require(min > 0, "raft.election_timeout_min_ms", "\"raft.election_timeout_min_ms\" must be greater than 0, got " + min);
    require(max > 0, "raft.election_timeout_max_ms", "\"raft.election_timeout_max_ms\" must be greater than 0, got " + max);
    // A follower must hear several heartbeats per election timeout, or it starts elections against a live leader.
    require(heartbeat < min, "raft.heartbeat_interval_ms", "\"raft.heartbeat_interval_ms\" (" + heartbeat
        + ") must be less than \"raft.election_timeout_min_ms\" (" + min + ")");
    // The timeout is drawn from [min, max); an empty range makes split votes repeat forever.
    require(min < max, "raft.election_timeout_min_ms", "\"raft.election_timeout_min_ms\" (" + min
        + ") must be less than \"raft.election_timeout_max_ms\" (" + max + ")");
    long drift = raft.leaseClockDriftMs();
    long maxDrift = TickTiming.maxLeaseDriftMs(raft);
    require(drift >= 0 && drift <= maxDrift, "raft.lease_clock_drift_ms", "\"raft.lease_clock_drift_ms\" must be in 0.."
        + maxDrift + ", got " + drift + ": the lease for LEASE reads lasts \"raft.election_timeout_min_ms\" in whole ticks of "
        + TickTiming.tickMs(raft) + " ms, less one tick, less this bound rounded up to ticks, and must keep at least one tick");
  }

  private void validateLimits() throws ConfigException {
    require(limits != null, "limits", "\"limits\" must not be null");
    require(limits.maxKeyBytes() >= 1 && limits.maxKeyBytes() <= NodeConfig.Limits.MAX_KEY_BYTES_ALLOWED, "limits.max_key_bytes",
        "\"limits.max_key_bytes\" must be in 1.." + NodeConfig.Limits.MAX_KEY_BYTES_ALLOWED + ", got " + limits.maxKeyBytes());
    require(limits.maxValueBytes() >= 0 && limits.maxValueBytes() <= NodeConfig.Limits.MAX_VALUE_BYTES_ALLOWED,
        "limits.max_value_bytes", "\"limits.max_value_bytes\" must be in 0.." + NodeConfig.Limits.MAX_VALUE_BYTES_ALLOWED
            + " (a CompareAndSwap carries two values in one message of at most 16 MiB), got " + limits.maxValueBytes());
    long least = limits.largestProposalBytes();
    require(limits.maxPendingProposalBytes() >= least, "limits.max_pending_proposal_bytes",
        "\"limits.max_pending_proposal_bytes\" must be at least " + least + " (one largest write: the key, two values "
            + "and their framing), got " + limits.maxPendingProposalBytes());
    require(limits.maxPendingAppendBytes() >= least, "limits.max_pending_append_bytes",
        "\"limits.max_pending_append_bytes\" must be at least " + least + " (one largest write: the key, two values "
            + "and their framing), got " + limits.maxPendingAppendBytes());
    require(limits.maxStoreBytes() >= least, "limits.max_store_bytes",
        "\"limits.max_store_bytes\" must be at least " + least + " (one largest write: the key, two values "
            + "and their framing), got " + limits.maxStoreBytes());
  }

  private void validateSnapshots() throws ConfigException {
    require(snapshots != null, "raft", "snapshot settings must not be null");
    require(snapshots.thresholdEntries() >= 1, "raft.snapshot_threshold_entries",
        "\"raft.snapshot_threshold_entries\" must be 1 or more, got " + snapshots.thresholdEntries());
    require(snapshots.keepTailEntries() >= 0, "raft.snapshot_keep_tail_entries",
        "\"raft.snapshot_keep_tail_entries\" must be 0 or more, got " + snapshots.keepTailEntries());
    require(snapshots.thresholdBytes() >= (1 << 20), "raft.snapshot_threshold_bytes",
        "\"raft.snapshot_threshold_bytes\" must be 1048576 or more, got " + snapshots.thresholdBytes());
    require(snapshots.keepTailBytes() >= 0, "raft.snapshot_keep_tail_bytes",
        "\"raft.snapshot_keep_tail_bytes\" must be 0 or more, got " + snapshots.keepTailBytes());
    // A chunk must fit the peer's 16 MiB gRPC message limit with room for framing.
    require(snapshots.chunkBytes() >= 1024 && snapshots.chunkBytes() <= (8 << 20), "raft.snapshot_chunk_bytes",
        "\"raft.snapshot_chunk_bytes\" must be in 1024..8388608, got " + snapshots.chunkBytes());
  }

  private void validateReplication() throws ConfigException {
    require(replication != null, "replication", "\"replication\" must not be null");
    require(replication.maxEntriesPerAppend() >= 1, "replication.max_entries_per_append",
        "\"replication.max_entries_per_append\" must be 1 or more, got " + replication.maxEntriesPerAppend());
    require(replication.maxBytesPerAppend() >= 1024, "replication.max_bytes_per_append",
        "\"replication.max_bytes_per_append\" must be 1024 or more, got " + replication.maxBytesPerAppend());
    // A request must fit the peer's gRPC message limit with room for framing.
    require(replication.maxBytesPerAppend() <= (8L << 20), "replication.max_bytes_per_append",
        "\"replication.max_bytes_per_append\" must be at most 8388608, got " + replication.maxBytesPerAppend());
    require(replication.maxInflightAppends() >= 1 && replication.maxInflightAppends() <= 4096,
        "replication.max_inflight_appends",
        "\"replication.max_inflight_appends\" must be in 1..4096, got " + replication.maxInflightAppends());
    require(replication.maxInflightBytes() >= replication.maxBytesPerAppend(), "replication.max_inflight_bytes",
        "\"replication.max_inflight_bytes\" (" + replication.maxInflightBytes()
            + ") must be at least \"replication.max_bytes_per_append\" (" + replication.maxBytesPerAppend() + ")");
    require(replication.logCacheBytes() >= 0, "replication.log_cache_bytes",
        "\"replication.log_cache_bytes\" must be 0 or more, got " + replication.logCacheBytes());
  }

  private void validateTls() throws ConfigException {
    require(tls != null, "tls", "\"tls\" must not be null");
    require(clientTls != null, "client_tls", "\"client_tls\" must not be null");
    if (tls.enabled()) {
      requireKey("tls.cert", tls.cert(), "tls.enabled is true");
      requireKey("tls.key", tls.key(), "tls.enabled is true");
      requireKey("tls.ca", tls.ca(), "tls.enabled is true");
      requireFile("tls.cert", tls.cert());
      requireFile("tls.key", tls.key());
      requireFile("tls.ca", tls.ca());
    }
    require(!clientTls.requireClientCert() || clientTls.enabled(), "client_tls.require_client_cert",
        "\"client_tls.require_client_cert\" is true but \"client_tls.enabled\" is false");
    if (clientTls.enabled()) {
      String why = "client_tls.enabled is true (it defaults to the tls section's files)";
      requireKey("client_tls.cert", clientTls.cert(), why);
      requireKey("client_tls.key", clientTls.key(), why);
      // Followers forward writes to the leader's client port and verify its certificate against this CA.
      requireKey("client_tls.ca", clientTls.ca(), clientTls.requireClientCert()
          ? "client_tls.require_client_cert is true" : "followers verify the leader's client port with it");
      requireFile("client_tls.cert", clientTls.cert());
      requireFile("client_tls.key", clientTls.key());
      requireFile("client_tls.ca", clientTls.ca());
    }
  }

  private void validateOperations() throws ConfigException {
    require(operations != null, "metrics_address", "operations settings must not be null");
    if (operations.metricsAddress() != null) {
      HostAndPort metrics = operations.metricsAddress();
      require(!metrics.equals(peerAddress) && !metrics.equals(clientAddress), "metrics_address",
          "\"metrics_address\" " + metrics + " must differ from \"peer_address\" and \"client_address\"");
    }
    require(operations.healthMaxApplyGap() >= 0, "health.max_apply_gap",
        "\"health.max_apply_gap\" must be 0 or more, got " + operations.healthMaxApplyGap());
    if (operations.logLevel() != null) {
      try {
        java.util.logging.Level.parse(operations.logLevel().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("log.level", "\"log.level\" must be one of SEVERE, WARNING, INFO, CONFIG, FINE,"
            + " FINER, FINEST, ALL, OFF; got \"" + operations.logLevel() + "\"");
      }
    }
  }

  private static void requireKey(String key, Path path, String why) throws ConfigException {
    require(path != null, key, "missing key \"" + key + "\", required because " + why);
  }

  private static void requireFile(String key, Path path) throws ConfigException {
    require(Files.isRegularFile(path), key, "\"" + key + "\": file not found: " + path);
    require(Files.isReadable(path), key, "\"" + key + "\": file is not readable: " + path);
  }

  private static void require(boolean ok, String key, String problem) throws ConfigException {
    if (!ok) throw new ConfigException(key, problem);
  }
}
