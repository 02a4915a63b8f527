package io.raftnode.internal.node;

import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.transport.SnapshotSender;
import io.raftnode.RaftNode;

/**
 * A snapshot opened for a backup ({@link RaftNode#openSnapshot}): what it covers, and its data, read off the event
 * loop one chunk at a time. The caller must {@code data().close()} it.
 */
public record SnapshotDownload(SnapshotMeta meta, SnapshotSender.ChunkSource data) {}
