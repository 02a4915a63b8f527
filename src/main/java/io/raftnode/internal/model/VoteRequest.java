package io.raftnode.internal.model;

/**
 * RequestVote: {@code vote} is the candidate's vote for itself ({@code vote.leaderId().nodeId()} is the candidate),
 * {@code lastLogId} its last log entry (null when its log is empty), {@code leadershipTransfer} set when the
 * current leader asked the candidate to take over, {@code preVote} set when this only asks whether the candidate
 * could win at {@code vote.term()} (Raft thesis §9.6): a pre-vote changes nothing on the node that answers it.
 */
public record VoteRequest(Vote vote, LogId lastLogId, boolean leadershipTransfer, boolean preVote) {
  public VoteRequest {
    if (vote == null) throw new IllegalArgumentException("vote must not be null");
  }

  /** A real vote request (not a pre-vote). */
  public VoteRequest(Vote vote, LogId lastLogId, boolean leadershipTransfer) {
    this(vote, lastLogId, leadershipTransfer, false);
  }

  public long candidateId() {
    return vote.leaderId().nodeId();
  }
}
