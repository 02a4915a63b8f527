package io.raftnode.internal.model;

/** A follower ({@code from}) asks the leader for a read index (ReadIndexService, outside RaftService). */
public record ReadIndexRequest(long from) {
  public ReadIndexRequest {
    if (from < 0) throw new IllegalArgumentException("from must be >= 0: " + from);
  }
}
