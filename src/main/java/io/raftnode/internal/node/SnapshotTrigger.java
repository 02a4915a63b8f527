package io.raftnode.internal.node;

/**
 * Decides when the next snapshot is due: once {@code thresholdEntries} entries were applied since the last
 * snapshot, or once the entries applied since then carry {@code thresholdBytes} payload bytes and at least as many
 * bytes as the last snapshot's data.
 *
 * <p>The second bound on bytes keeps the cost of snapshots in proportion to what is written: a snapshot writes the
 * whole state, so a state of 400 MiB snapshotted after every 128 MiB of new values would write three times as many
 * bytes to disk as the log does. Waiting until the log since the snapshot is as large as the snapshot keeps
 * snapshot writes at most equal to log writes, while the log on disk and its replay after a restart stay within
 * the larger of the threshold and the state's own size.
 */
record SnapshotTrigger(long thresholdEntries, long thresholdBytes) {
  boolean due(long entriesSince, long bytesSince, long latestSnapshotBytes) {
    return entriesSince >= thresholdEntries || bytesSince >= Math.max(thresholdBytes, latestSnapshotBytes);
  }
}
