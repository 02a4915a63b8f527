package io.raftnode.internal.model;

/**
 * The leader's answer to a {@link ReadIndexRequest}: {@code readIndex} is a commit index it confirmed with a
 * quorum after the request arrived; {@code leaderVote} is its committed vote.
 */
public record ReadIndexResponse(long readIndex, Vote leaderVote) {
  public ReadIndexResponse {
    if (readIndex < 0) throw new IllegalArgumentException("readIndex must be >= 0: " + readIndex);
    if (leaderVote == null) throw new IllegalArgumentException("leaderVote must not be null");
  }
}
