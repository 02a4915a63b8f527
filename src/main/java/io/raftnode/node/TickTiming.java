package io.raftnode.node;

import io.raftnode.core.CoreConfig;

/**
 * Turns the configured timings and replication limits (milliseconds) into the core's logical ticks. A tick is a fifth of the heartbeat
 * interval (at most 10 ms), fine enough that election timeouts keep their randomness.
 */
record TickTiming(long tickMs, CoreConfig coreConfig, long rpcTimeoutMs) {

  static TickTiming of(NodeConfig.RaftTimings raft, NodeConfig.Replication replication) {
    long tickMs = Math.max(1, Math.min(10, raft.heartbeatIntervalMs() / 5));
    int heartbeatTicks = (int) Math.max(1, raft.heartbeatIntervalMs() / tickMs);
    int electionMin = (int) Math.max(heartbeatTicks + 1, raft.electionTimeoutMinMs() / tickMs);
    int electionMax = (int) Math.max(electionMin + 1, raft.electionTimeoutMaxMs() / tickMs);
    // Rounded up: the lease must not come out longer than the configured bound allows.
    int driftTicks = (int) Math.min(electionMin - 1, (raft.leaseClockDriftMs() + tickMs - 1) / tickMs);
    CoreConfig core = new CoreConfig(heartbeatTicks, electionMin, electionMax, replication.maxEntriesPerAppend(),
        replication.maxBytesPerAppend(), replication.maxInflightAppends(), driftTicks, replication.maxInflightBytes())
        .withLogCacheBytes(replication.logCacheBytes());
    // A peer that does not answer within this long is treated as unreachable; long enough for a loaded disk.
    long rpcTimeoutMs = Math.max(1000, 2 * raft.electionTimeoutMaxMs());
    return new TickTiming(tickMs, core, rpcTimeoutMs);
  }
}
