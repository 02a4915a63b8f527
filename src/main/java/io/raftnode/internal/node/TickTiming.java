package io.raftnode.internal.node;

import io.raftnode.NodeConfig;
import io.raftnode.internal.core.CoreConfig;

/**
 * Turns the configured timings and replication limits (milliseconds) into the core's logical ticks. A tick is a fifth of the heartbeat
 * interval (at most 10 ms), fine enough that election timeouts keep their randomness.
 */
public record TickTiming(long tickMs, CoreConfig coreConfig, long rpcTimeoutMs) {

  public static TickTiming of(NodeConfig config) {
    return of(config.raft(), config.replication()).withLearnerCatchUp(config.membership().learnerCatchUpEntries());
  }

  private TickTiming withLearnerCatchUp(long entries) {
    return new TickTiming(tickMs, coreConfig.withLearnerCatchUpEntries(entries), rpcTimeoutMs);
  }

  public static TickTiming of(NodeConfig.RaftTimings raft, NodeConfig.Replication replication) {
    long tickMs = tickMs(raft);
    int heartbeatTicks = heartbeatTicks(raft, tickMs);
    int electionMin = electionMinTicks(raft, tickMs);
    int electionMax = (int) Math.max(electionMin + 1, raft.electionTimeoutMaxMs() / tickMs);
    // Rounded up: the lease must not come out longer than the configured bound allows.
    int driftTicks = (int) ((raft.leaseClockDriftMs() + tickMs - 1) / tickMs);
    CoreConfig core = new CoreConfig(heartbeatTicks, electionMin, electionMax, replication.maxEntriesPerAppend(),
        replication.maxBytesPerAppend(), replication.maxInflightAppends(), driftTicks, replication.maxInflightBytes())
        .withLogCacheBytes(replication.logCacheBytes());
    // A peer that does not answer within this long is treated as unreachable; long enough for a loaded disk.
    long rpcTimeoutMs = Math.max(1000, 2 * raft.electionTimeoutMaxMs());
    return new TickTiming(tickMs, core, rpcTimeoutMs);
  }

  /**
   * The largest {@code lease_clock_drift_ms} that leaves a lease: the lease lasts the minimum election timeout in
   * whole ticks, less one tick, less the drift rounded up to ticks, and must keep at least one tick.
   */
  public static long maxLeaseDriftMs(NodeConfig.RaftTimings raft) {
    long tickMs = tickMs(raft);
    return (electionMinTicks(raft, tickMs) - 2) * tickMs;
  }

  public static long tickMs(NodeConfig.RaftTimings raft) {
    return Math.max(1, Math.min(10, raft.heartbeatIntervalMs() / 5));
  }

  private static int heartbeatTicks(NodeConfig.RaftTimings raft, long tickMs) {
    return (int) Math.max(1, raft.heartbeatIntervalMs() / tickMs);
  }

  private static int electionMinTicks(NodeConfig.RaftTimings raft, long tickMs) {
    return (int) Math.max(heartbeatTicks(raft, tickMs) + 1, raft.electionTimeoutMinMs() / tickMs);
  }
}
