package io.raftnode.internal.core;

/**
 * Tuning of the Raft core, in logical ticks (the node decides how long a tick is) and in sizes.
 *
 * @param heartbeatTicks       a leader sends a heartbeat to every peer this often
 * @param electionTicksMin     a follower that hears from no leader for a random number of ticks in
 *                             [electionTicksMin, electionTicksMax) starts an election
 * @param electionTicksMax     see electionTicksMin; exclusive upper bound
 * @param maxEntriesPerAppend  most entries in one AppendEntries request
 * @param maxBytesPerAppend    most payload bytes in one AppendEntries request (at least one entry is always sent)
 * @param maxInflightAppends   most AppendEntries requests carrying entries that may await an answer per peer
 * @param leaseDriftTicks      how many ticks a follower's clock may gain on the leader's over electionTicksMin - 1
 *                             of its own; the lease lasts {@link #leaseTicks()} (thesis §6.4.1, see {@link Lease})
 * @param maxInflightBytes     most payload bytes in requests awaiting an answer per peer; a new request goes out
 *                             only while the outstanding ones hold less (one always may, so progress is made)
 * @param learnerCatchUpEntries a learner may become a voter once it is at most this many entries behind the
 *                             leader's last entry (and holds the latest membership)
 * @param logCacheBytes        most bytes of log entries kept in memory once they are durable and applied (payload
 *                             plus a fixed overhead each); older ones are read back from disk when needed
 */
public record CoreConfig(
    int heartbeatTicks,
    int electionTicksMin,
    int electionTicksMax,
    int maxEntriesPerAppend,
    long maxBytesPerAppend,
    int maxInflightAppends,
    int leaseDriftTicks,
    long maxInflightBytes,
    long learnerCatchUpEntries,
    long logCacheBytes) {

  /** By default the byte window is what a full message window of full batches holds, at most 64 MiB. */
  public static final long DEFAULT_MAX_INFLIGHT_BYTES = 64L << 20;
  /** A learner this close behind catches the rest up within a round trip or two at the default batch sizes. */
  public static final long DEFAULT_LEARNER_CATCH_UP_ENTRIES = 1000;
  /** Enough for followers a moment behind at full speed to be fed from memory (about a second of 128-byte writes). */
  public static final long DEFAULT_LOG_CACHE_BYTES = 16L << 20;

  /** A config with the default log cache. */
  public CoreConfig(int heartbeatTicks, int electionTicksMin, int electionTicksMax, int maxEntriesPerAppend,
      long maxBytesPerAppend, int maxInflightAppends, int leaseDriftTicks, long maxInflightBytes,
      long learnerCatchUpEntries) {
    this(heartbeatTicks, electionTicksMin, electionTicksMax, maxEntriesPerAppend, maxBytesPerAppend,
        maxInflightAppends, leaseDriftTicks, maxInflightBytes, learnerCatchUpEntries, DEFAULT_LOG_CACHE_BYTES);
  }

  /** A config with the default learner catch-up gap. */
  public CoreConfig(int heartbeatTicks, int electionTicksMin, int electionTicksMax, int maxEntriesPerAppend,
      long maxBytesPerAppend, int maxInflightAppends, int leaseDriftTicks, long maxInflightBytes) {
    this(heartbeatTicks, electionTicksMin, electionTicksMax, maxEntriesPerAppend, maxBytesPerAppend,
        maxInflightAppends, leaseDriftTicks, maxInflightBytes, DEFAULT_LEARNER_CATCH_UP_ENTRIES);
  }

  /** This config with another learner catch-up gap. */
  public CoreConfig withLearnerCatchUpEntries(long entries) {
    return new CoreConfig(heartbeatTicks, electionTicksMin, electionTicksMax, maxEntriesPerAppend, maxBytesPerAppend,
        maxInflightAppends, leaseDriftTicks, maxInflightBytes, entries, logCacheBytes);
  }

  /** This config with another log cache bound. */
  public CoreConfig withLogCacheBytes(long bytes) {
    return new CoreConfig(heartbeatTicks, electionTicksMin, electionTicksMax, maxEntriesPerAppend, maxBytesPerAppend,
        maxInflightAppends, leaseDriftTicks, maxInflightBytes, learnerCatchUpEntries, bytes);
  }

  /** A config with the default byte window. */
  public CoreConfig(int heartbeatTicks, int electionTicksMin, int electionTicksMax, int maxEntriesPerAppend,
      long maxBytesPerAppend, int maxInflightAppends, int leaseDriftTicks) {
    this(heartbeatTicks, electionTicksMin, electionTicksMax, maxEntriesPerAppend, maxBytesPerAppend,
        maxInflightAppends, leaseDriftTicks, DEFAULT_MAX_INFLIGHT_BYTES);
  }

  public static CoreConfig defaults() {
    return new CoreConfig(5, 15, 30, 1024, 1 << 20, 64);
  }

  /** A config whose lease drift bound is a fifth of the minimum election timeout (at least 1 where that leaves a lease). */
  public CoreConfig(int heartbeatTicks, int electionTicksMin, int electionTicksMax, int maxEntriesPerAppend,
      long maxBytesPerAppend, int maxInflightAppends) {
    this(heartbeatTicks, electionTicksMin, electionTicksMax, maxEntriesPerAppend, maxBytesPerAppend,
        maxInflightAppends, Math.min(electionTicksMin - 2, Math.max(1, electionTicksMin / 5)));
  }

  /**
   * How long a leader trusts its lease, in its own ticks from the send time of the request a quorum answered: a
   * follower's refusal to vote is sure to last only electionTicksMin - 1 whole ticks of its clock, less the drift.
   */
  public int leaseTicks() {
    return electionTicksMin - 1 - leaseDriftTicks;
  }

  public CoreConfig {
    if (heartbeatTicks < 1) throw new IllegalArgumentException("heartbeatTicks must be >= 1");
    if (electionTicksMin <= heartbeatTicks)
      throw new IllegalArgumentException("electionTicksMin must be greater than heartbeatTicks");
    if (electionTicksMax <= electionTicksMin)
      throw new IllegalArgumentException("electionTicksMax must be greater than electionTicksMin");
    if (maxEntriesPerAppend < 1) throw new IllegalArgumentException("maxEntriesPerAppend must be >= 1");
    if (maxBytesPerAppend < 1) throw new IllegalArgumentException("maxBytesPerAppend must be >= 1");
    if (maxInflightAppends < 1) throw new IllegalArgumentException("maxInflightAppends must be >= 1");
    if (leaseDriftTicks < 0 || leaseDriftTicks > electionTicksMin - 2)
      throw new IllegalArgumentException("leaseDriftTicks must be in [0, electionTicksMin - 2] = [0, "
          + (electionTicksMin - 2) + "], got " + leaseDriftTicks + ": the lease lasts electionTicksMin - 1 - "
          + "leaseDriftTicks ticks and must keep at least one");
    if (maxInflightBytes < 1) throw new IllegalArgumentException("maxInflightBytes must be >= 1");
    if (learnerCatchUpEntries < 0) throw new IllegalArgumentException("learnerCatchUpEntries must be >= 0");
    if (logCacheBytes < 0) throw new IllegalArgumentException("logCacheBytes must be >= 0");
  }
}
