package io.raftnode;

import io.raftnode.internal.core.CoreConfig;
import io.raftnode.internal.node.NodeConfigChecks;
import io.raftnode.internal.node.NodeConfigParser;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.SortedMap;

/**
 * A node's whole configuration, read from the JSON file given with {@code -conf}, or from the same JSON in a
 * deployment's config. See README.md for the keys.
 *
 * <p>{@link #load} and {@link #fromJson} return only validated configs; a config built in code should go through
 * {@link #validate()} before a node is started with it. Build one in code with the constructor that takes what
 * has no default, then the {@code with...} methods for the rest.
 *
 * @param nodeId        this node's id ({@code node_id}), 1 or more
 * @param peerAddress   where RaftService listens, for the other nodes ({@code peer_address})
 * @param clientAddress where the client services listen ({@code client_address})
 * @param dataDir       the log, vote and snapshot files ({@code data_dir})
 * @param members       initial voters by id ({@code members}); used only to bootstrap an empty data dir
 * @param tls           TLS on the peer port
 * @param clientTls     TLS on the client port
 * @param raft          heartbeat and election timing
 * @param replication   how the leader ships entries to followers
 * @param snapshots     when snapshots are taken and how they travel
 * @param membership    membership change and bootstrap settings
 * @param limits        the largest key and value, and the flow-control bounds
 * @param operations    metrics, health and logging
 */
public record NodeConfig(
    long nodeId,
    HostAndPort peerAddress,
    HostAndPort clientAddress,
    Path dataDir,
    SortedMap<Long, Member> members,
    Tls tls,
    ClientTls clientTls,
    RaftTimings raft,
    Replication replication,
    Snapshots snapshots,
    Membership membership,
    Limits limits,
    Operations operations) {

  /**
   * A config with the defaults for everything but what each node must be told: replication, snapshots,
   * membership, limits and operations as a config file without those keys has them.
   *
   * @param nodeId        this node's id, 1 or more
   * @param peerAddress   where RaftService listens
   * @param clientAddress where the client services listen
   * @param dataDir       the node's data dir
   * @param members       initial voters by id, to bootstrap an empty data dir
   * @param tls           TLS on the peer port
   * @param clientTls     TLS on the client port
   * @param raft          heartbeat and election timing
   */
  public NodeConfig(long nodeId, HostAndPort peerAddress, HostAndPort clientAddress, Path dataDir,
      SortedMap<Long, Member> members, Tls tls, ClientTls clientTls, RaftTimings raft) {
    this(nodeId, peerAddress, clientAddress, dataDir, members, tls, clientTls, raft, Replication.DEFAULTS,
        Snapshots.DEFAULTS, Membership.DEFAULTS, Limits.DEFAULTS, Operations.DEFAULTS);
  }

  /**
   * This config with other replication settings.
   *
   * @param settings the settings to use
   * @return a new config
   */
  public NodeConfig withReplication(Replication settings) {
    return new NodeConfig(nodeId, peerAddress, clientAddress, dataDir, members, tls, clientTls, raft, settings,
        snapshots, membership, limits, operations);
  }

  /**
   * This config with other snapshot settings.
   *
   * @param settings the settings to use
   * @return a new config
   */
  public NodeConfig withSnapshots(Snapshots settings) {
    return new NodeConfig(nodeId, peerAddress, clientAddress, dataDir, members, tls, clientTls, raft, replication,
        settings, membership, limits, operations);
  }

  /**
   * This config with other membership settings.
   *
   * @param settings the settings to use
   * @return a new config
   */
  public NodeConfig withMembership(Membership settings) {
    return new NodeConfig(nodeId, peerAddress, clientAddress, dataDir, members, tls, clientTls, raft, replication,
        snapshots, settings, limits, operations);
  }

  /**
   * This config with other limits.
   *
   * @param settings the limits to use
   * @return a new config
   */
  public NodeConfig withLimits(Limits settings) {
    return new NodeConfig(nodeId, peerAddress, clientAddress, dataDir, members, tls, clientTls, raft, replication,
        snapshots, membership, settings, operations);
  }

  /**
   * This config with other operations settings.
   *
   * @param settings the settings to use
   * @return a new config
   */
  public NodeConfig withOperations(Operations settings) {
    return new NodeConfig(nodeId, peerAddress, clientAddress, dataDir, members, tls, clientTls, raft, replication,
        snapshots, membership, limits, settings);
  }

  /**
   * How to reach a founding member (an entry of {@code members}).
   *
   * @param peerAddress   its peer (RaftService) address, host:port
   * @param clientAddress its client address, host:port; empty when it has none
   */
  public record Member(String peerAddress, String clientAddress) {
    /**
     * Checks that the peer address is there.
     *
     * @param peerAddress   its peer address
     * @param clientAddress its client address; null becomes empty
     * @throws IllegalArgumentException when the peer address is null
     */
    public Member {
      if (peerAddress == null) throw new IllegalArgumentException("peerAddress must not be null");
      if (clientAddress == null) clientAddress = "";
    }
  }

  /**
   * Membership settings (keys {@code raft.learner_catch_up_entries}, {@code raft.bootstrap_grace_ms}).
   *
   * @param learnerCatchUpEntries a learner may become a voter once at most this many entries behind the leader
   * @param bootstrapGraceMs      how long a founding member that has just bootstrapped waits for the founders it
   *                              has not heard from before it may stand for election (README, "Running a node")
   */
  public record Membership(long learnerCatchUpEntries, long bootstrapGraceMs) {
    /** A learner within 1000 entries may become a voter; founders wait 5 s for each other. */
    public static final Membership DEFAULTS = new Membership(1000, 5000);
  }

  /**
   * When snapshots are taken and how they travel (keys {@code raft.snapshot_*}).
   *
   * @param thresholdEntries a snapshot is taken once this many entries were applied since the last one
   * @param keepTailEntries  entries kept in the log below a snapshot, for followers slightly behind
   * @param chunkBytes       data bytes per message of a Snapshot stream
   * @param thresholdBytes   a snapshot is also taken once entries carrying this many payload bytes, and at least
   *                         as many as the last snapshot's data, were applied
   * @param keepTailBytes    the entries kept below a snapshot carry at most this many payload bytes
   */
  public record Snapshots(long thresholdEntries, long keepTailEntries, int chunkBytes, long thresholdBytes,
      long keepTailBytes) {
    /** The default {@code thresholdBytes}: 128 MiB. */
    public static final long DEFAULT_THRESHOLD_BYTES = 128L << 20;
    /** The default {@code keepTailBytes}: 32 MiB. */
    public static final long DEFAULT_KEEP_TAIL_BYTES = 32L << 20;
    /** A snapshot every 100,000 entries (or 128 MiB), 10,000 entries kept below it, 1 MiB chunks. */
    public static final Snapshots DEFAULTS = new Snapshots(100_000, 10_000, 1 << 20);

    /**
     * Thresholds on entries, with the default byte bounds.
     *
     * @param thresholdEntries a snapshot is taken once this many entries were applied since the last one
     * @param keepTailEntries  entries kept in the log below a snapshot
     * @param chunkBytes       data bytes per message of a Snapshot stream
     */
    public Snapshots(long thresholdEntries, long keepTailEntries, int chunkBytes) {
      this(thresholdEntries, keepTailEntries, chunkBytes, DEFAULT_THRESHOLD_BYTES, DEFAULT_KEEP_TAIL_BYTES);
    }
  }

  /**
   * How the leader ships entries to followers.
   *
   * @param stream              replicate over one StreamAppend stream per follower (else unary AppendEntries calls)
   * @param maxEntriesPerAppend most entries in one AppendEntries request
   * @param maxBytesPerAppend   most payload bytes in one request (a larger single entry still goes alone)
   * @param maxInflightAppends  most requests with entries awaiting an answer, per follower
   * @param maxInflightBytes    most payload bytes in those requests, per follower
   * @param logCacheBytes       most bytes of durable, applied log entries kept in memory (payload plus a fixed
   *                            overhead each); older ones are read back from disk when a follower needs them
   */
  public record Replication(boolean stream, int maxEntriesPerAppend, long maxBytesPerAppend, int maxInflightAppends,
      long maxInflightBytes, long logCacheBytes) {
    /** The defaults for this JVM's heap: see {@link #defaultLogCacheBytes} and {@link #defaultInflightBytes}. */
    public static final Replication DEFAULTS = new Replication(true, 1024, 1 << 20, 64,
        defaultInflightBytes(Runtime.getRuntime().maxMemory()), defaultLogCacheBytes(Runtime.getRuntime().maxMemory()));

    /**
     * Limits with the default log cache.
     *
     * @param stream              replicate over one StreamAppend stream per follower
     * @param maxEntriesPerAppend most entries in one AppendEntries request
     * @param maxBytesPerAppend   most payload bytes in one request
     * @param maxInflightAppends  most requests with entries awaiting an answer, per follower
     * @param maxInflightBytes    most payload bytes in those requests, per follower
     */
    public Replication(boolean stream, int maxEntriesPerAppend, long maxBytesPerAppend, int maxInflightAppends,
        long maxInflightBytes) {
      this(stream, maxEntriesPerAppend, maxBytesPerAppend, maxInflightAppends, maxInflightBytes,
          DEFAULTS.logCacheBytes());
    }

    /**
     * The default log cache for a heap of {@code maxHeapBytes}: a 128th of it, from 4 MiB to 16 MiB (8 MiB on
     * -Xmx1g, 16 MiB from -Xmx2g on). Small on purpose: the cache only has to bridge followers that are a moment
     * behind, and entries that leave it young die in the collector's young generation, where larger caches kept
     * them long enough to be promoted and collected from the old one (measured in docs/BENCHMARKS.md).
     *
     * @param maxHeapBytes the JVM's maximum heap
     * @return the log cache bound in bytes
     */
    public static long defaultLogCacheBytes(long maxHeapBytes) {
      return Math.max(4L << 20, Math.min(CoreConfig.DEFAULT_LOG_CACHE_BYTES, maxHeapBytes / 128));
    }

    /**
     * The default window per follower for a heap of {@code maxHeapBytes}: a sixteenth of it, from 4 MiB to 64 MiB
     * (reached from -Xmx1g on; 8 MiB on -Xmx128m). A follower fed from disk holds the leader to this many bytes
     * read back for it, beside the log cache.
     *
     * @param maxHeapBytes the JVM's maximum heap
     * @return the in-flight bound in bytes
     */
    public static long defaultInflightBytes(long maxHeapBytes) {
      return Math.max(4L << 20, Math.min(CoreConfig.DEFAULT_MAX_INFLIGHT_BYTES, maxHeapBytes / 16));
    }
  }

  /**
   * How the node is watched (docs/OPERATIONS.md).
   *
   * @param metricsAddress   where {@code GET /metrics} serves Prometheus text; null = no metrics port
   * @param healthMaxApplyGap the gRPC health service says NOT_SERVING while the applied index trails the commit
   *                         index by more than this many entries
   * @param logLevel         JUL level name for the node's loggers ({@code log.level}); null = as the JVM was started
   * @param logJson          one JSON object per log line ({@code log.format} {@code "json"}) instead of plain text
   */
  public record Operations(HostAndPort metricsAddress, long healthMaxApplyGap, String logLevel, boolean logJson) {
    /** No metrics port, a health gap of 1000 entries, logging as the JVM was started. */
    public static final Operations DEFAULTS = new Operations(null, 1000, null, false);
  }

  /**
   * What clients may make the node hold (keys {@code limits.*}): the largest key and value (larger ones are refused
   * with INVALID_ARGUMENT before they reach the log), and the memory bounds of flow control (ARCHITECTURE, "Memory
   * bounds").
   *
   * @param maxKeyBytes             most bytes in a key
   * @param maxValueBytes           most bytes in a value (each of CompareAndSwap's expected and new values)
   * @param maxPendingProposalBytes on the leader: most bytes of proposals accepted and not yet applied (payload plus
   *                                {@link #PROPOSAL_OVERHEAD_BYTES} each); past it, writes are refused with
   *                                RESOURCE_EXHAUSTED and sessions stop reading
   * @param maxPendingAppendBytes   on a follower: most bytes of a leader's append requests received and not yet
   *                                answered (durable); past it, the follower stops reading the leader's stream
   * @param maxStoreBytes           the built-in key-value store's quota: most bytes its keys may hold (each key and
   *                                value plus a fixed overhead a key); the leader refuses a write that would take the
   *                                store past it with RESOURCE_EXHAUSTED, while deletes and reads still work
   */
  public record Limits(int maxKeyBytes, int maxValueBytes, long maxPendingProposalBytes, long maxPendingAppendBytes,
      long maxStoreBytes) {
    /** Keys up to 4 KiB, values up to 1 MiB, pending bounds and the store's quota from the heap. */
    public static final Limits DEFAULTS = new Limits(4 * 1024, 1 << 20);
    /** A CompareAndSwap entry carries two values; both must fit one 16 MiB AppendEntries message with room. */
    public static final int MAX_VALUE_BYTES_ALLOWED = 7 << 20;
    /** The largest {@code maxKeyBytes} a config may set. */
    public static final int MAX_KEY_BYTES_ALLOWED = 64 * 1024;
    /** What a proposal costs beyond its payload: the entry, its id and the waiting call. */
    public static final int PROPOSAL_OVERHEAD_BYTES = 64;

    /**
     * Size limits with the flow-control bounds derived from this JVM's heap ({@link #defaultPendingBytes}), raised
     * to one largest write where that is more.
     *
     * @param maxKeyBytes   most bytes in a key
     * @param maxValueBytes most bytes in a value
     */
    public Limits(int maxKeyBytes, int maxValueBytes) {
      this(maxKeyBytes, maxValueBytes, defaultPending(maxKeyBytes, maxValueBytes),
          defaultPending(maxKeyBytes, maxValueBytes));
    }

    /**
     * Limits with the store's quota derived from this JVM's heap ({@link #defaultStoreBytes}), raised to one
     * largest write where that is more.
     *
     * @param maxKeyBytes             most bytes in a key
     * @param maxValueBytes           most bytes in a value
     * @param maxPendingProposalBytes on the leader: most bytes of proposals accepted and not yet applied
     * @param maxPendingAppendBytes   on a follower: most bytes of appends received and not yet durable
     */
    public Limits(int maxKeyBytes, int maxValueBytes, long maxPendingProposalBytes, long maxPendingAppendBytes) {
      this(maxKeyBytes, maxValueBytes, maxPendingProposalBytes, maxPendingAppendBytes,
          Math.max(defaultStoreBytes(Runtime.getRuntime().maxMemory()), largest(maxKeyBytes, maxValueBytes)));
    }

    /**
     * These limits with another quota for the key-value store.
     *
     * @param bytes the most bytes the store's keys may hold ({@code limits.max_store_bytes})
     * @return the new limits
     */
    public Limits withMaxStoreBytes(long bytes) {
      return new Limits(maxKeyBytes, maxValueBytes, maxPendingProposalBytes, maxPendingAppendBytes, bytes);
    }

    /**
     * The default quota of the key-value store for a heap of {@code maxHeapBytes}: a quarter of it (256 MiB on
     * -Xmx1g, 128 MiB on -Xmx512m). With the other bounds at their defaults (up to five eighths of a small heap)
     * that leaves room; a store of half the heap ran -Xmx512m nodes out of memory (docs/BENCHMARKS.md).
     *
     * @param maxHeapBytes the JVM's maximum heap
     * @return the quota in bytes
     */
    public static long defaultStoreBytes(long maxHeapBytes) {
      return maxHeapBytes / 4;
    }

    private static long defaultPending(int maxKeyBytes, int maxValueBytes) {
      return Math.max(defaultPendingBytes(Runtime.getRuntime().maxMemory()), largest(maxKeyBytes, maxValueBytes));
    }

    /**
     * The default of both pending bounds for a heap of {@code maxHeapBytes}: an eighth of it, from 8 MiB to 64 MiB
     * (16 MiB on -Xmx128m, 64 MiB from -Xmx512m on), so that the bounds, the log cache and the replication
     * windows together stay well inside the heap.
     *
     * @param maxHeapBytes the JVM's maximum heap
     * @return the bound in bytes
     */
    public static long defaultPendingBytes(long maxHeapBytes) {
      return Math.max(8L << 20, Math.min(64L << 20, maxHeapBytes / 8));
    }

    /**
     * The least a pending bound may be: one largest request (a CompareAndSwap with two values) must fit.
     *
     * @return that request's cost in bytes
     */
    public long largestProposalBytes() {
      return largest(maxKeyBytes, maxValueBytes);
    }

    private static long largest(int maxKeyBytes, int maxValueBytes) {
      return Math.max(0, (long) maxKeyBytes) + 2L * Math.max(0, maxValueBytes) + 1024 + PROPOSAL_OVERHEAD_BYTES;
    }
  }

  /**
   * TLS on the peer port (mTLS: both sides present certificates signed by {@code ca}).
   *
   * @param enabled whether the peer port uses TLS
   * @param cert    this node's certificate (PEM)
   * @param key     its private key (PEM)
   * @param ca      the CA that signs every node's certificate (PEM)
   */
  public record Tls(boolean enabled, Path cert, Path key, Path ca) {}

  /**
   * TLS on the client port.
   *
   * @param enabled           whether the client port uses TLS
   * @param requireClientCert ask clients for a certificate signed by {@code ca}
   * @param cert              the port's certificate (PEM); null = the peer port's
   * @param key               its private key (PEM); null = the peer port's
   * @param ca                the CA of client certificates (PEM)
   */
  public record ClientTls(boolean enabled, boolean requireClientCert, Path cert, Path key, Path ca) {}

  /**
   * Raft timing, in milliseconds. {@code leaseClockDriftMs} bounds how far a follower's clock may get ahead of the
   * leader's over one minimum election timeout less one tick; the leader's lease is that much shorter than that.
   *
   * @param heartbeatIntervalMs  how often the leader sends heartbeats
   * @param electionTimeoutMinMs the least time without a leader before a follower stands for election
   * @param electionTimeoutMaxMs the most such time (each timeout is random between the two)
   * @param leaseClockDriftMs    the clock drift bound above
   */
  public record RaftTimings(long heartbeatIntervalMs, long electionTimeoutMinMs, long electionTimeoutMaxMs,
      long leaseClockDriftMs) {
    /**
     * Timings with the default drift bound, a fifth of the minimum election timeout.
     *
     * @param heartbeatIntervalMs  how often the leader sends heartbeats
     * @param electionTimeoutMinMs the least election timeout
     * @param electionTimeoutMaxMs the most election timeout
     */
    public RaftTimings(long heartbeatIntervalMs, long electionTimeoutMinMs, long electionTimeoutMaxMs) {
      this(heartbeatIntervalMs, electionTimeoutMinMs, electionTimeoutMaxMs, electionTimeoutMinMs / 5);
    }
  }

  /**
   * Reads and validates {@code file}; relative paths in it resolve against the working directory.
   *
   * @param file a JSON config file
   * @return the config
   * @throws ConfigException naming the file and the key when the file cannot be read or a value is wrong
   */
  public static NodeConfig load(Path file) throws ConfigException {
    JsonObject json = NodeConfigParser.read(file);
    try {
      return fromJson(json, Path.of("").toAbsolutePath());
    } catch (ConfigException e) {
      throw e.inFile(file);
    }
  }

  /**
   * Parses and validates a config object; relative paths in it resolve against {@code baseDir}.
   *
   * @param json    the config, with the keys of a config file
   * @param baseDir what relative paths resolve against
   * @return the config
   * @throws ConfigException naming the key when a value is missing or wrong
   */
  public static NodeConfig fromJson(JsonObject json, Path baseDir) throws ConfigException {
    return NodeConfigParser.parse(json, baseDir).validate();
  }

  /**
   * Checks what the types alone cannot: ranges, consistency between keys, and that TLS has its files. Problems are
   * named by their JSON keys, as an operator sees them.
   *
   * @return this config, so calls can be chained
   * @throws ConfigException naming the key of the first problem found
   */
  public NodeConfig validate() throws ConfigException {
    NodeConfigChecks.check(this);
    return this;
  }
}
