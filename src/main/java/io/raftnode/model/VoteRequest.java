package io.raftnode.model;

/**
 * RequestVote: {@code vote} is the candidate's vote for itself ({@code vote.leaderId().nodeId()} is the candidate),
 * {@code lastLogId} its last log entry (null when its log is empty), {@code leadershipTransfer} set when the
 * current leader asked the candidate to take over.
 */
public record VoteRequest(Vote vote, LogId lastLogId, boolean leadershipTransfer) {
  public VoteRequest {
    if (vote == null) throw new IllegalArgumentException("vote must not be null");
  }

  public long candidateId() {
    return vote.leaderId().nodeId();
  }
}
