package io.raftnode.internal.model;

/**
 * The follower's one answer to a Snapshot stream: its vote after handling it. A vote newer than the sender's tells
 * the sender it is no longer leader; otherwise the snapshot is installed and durable.
 */
public record SnapshotResponse(Vote vote) {
  public SnapshotResponse {
    if (vote == null) throw new IllegalArgumentException("vote must not be null");
  }
}
