package io.raftnode.internal.node;

import io.raftnode.RaftNode;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.transport.SnapshotSender;

/**
 * A snapshot opened for a backup ({@link RaftNode#openSnapshot}): what it covers, and its data, read off the event
 * loop one chunk at a time. The caller must {@code data().close()} it.
 */
public record SnapshotDownload(SnapshotMeta meta, SnapshotSender.ChunkSource data) {}
