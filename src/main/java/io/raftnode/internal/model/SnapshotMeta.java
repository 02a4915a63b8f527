package io.raftnode.internal.model;

/**
 * What a snapshot covers (openraft's SnapshotMeta): the last log entry whose effect it includes, the membership in
 * force at that point, and an id naming this particular snapshot file.
 *
 * @param lastLogId       the last entry included; null only for a snapshot of the empty state (nothing applied)
 * @param lastMembership  the last membership entry at or before {@code lastLogId}, and its id
 * @param snapshotId      unique per snapshot taken; used in file names and logs
 */
public record SnapshotMeta(LogId lastLogId, StoredMembership lastMembership, String snapshotId) {
  public SnapshotMeta {
    if (lastMembership == null) throw new IllegalArgumentException("lastMembership must not be null");
    if (snapshotId == null) throw new IllegalArgumentException("snapshotId must not be null");
  }

  /** The index of the last entry included; 0 for the empty snapshot. */
  public long lastIndex() {
    return LogId.indexOf(lastLogId);
  }
}
