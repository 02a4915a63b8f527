package io.raftnode.node;

import io.raftnode.model.SnapshotMeta;
import io.raftnode.transport.SnapshotSender;

/**
 * A snapshot opened for a backup ({@link RaftNode#openSnapshot}): what it covers, and its data, read off the event
 * loop one chunk at a time. The caller must {@code data().close()} it.
 */
public record SnapshotDownload(SnapshotMeta meta, SnapshotSender.ChunkSource data) {}
