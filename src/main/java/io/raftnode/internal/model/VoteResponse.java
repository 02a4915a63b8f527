package io.raftnode.internal.model;

/** The answer to a VoteRequest: the responder's vote after handling it, whether it granted, its last log id. */
public record VoteResponse(Vote vote, boolean voteGranted, LogId lastLogId) {
  public VoteResponse {
    if (vote == null) throw new IllegalArgumentException("vote must not be null");
  }
}
