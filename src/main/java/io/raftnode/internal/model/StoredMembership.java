package io.raftnode.internal.model;

/** A membership and the id of the log entry that carried it (null for the bootstrap membership). */
public record StoredMembership(LogId logId, Membership membership) {
  public StoredMembership {
    if (membership == null) throw new IllegalArgumentException("membership must not be null");
  }
}
