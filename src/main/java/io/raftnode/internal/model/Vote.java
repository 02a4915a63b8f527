package io.raftnode.internal.model;

/**
 * What a node has voted for, as openraft models it: the leader id it voted for and whether that vote is
 * {@code committed}, i.e. granted by a quorum (the node knows that this leader was elected).
 *
 * <p>In classic Raft terms, {@code leaderId.term()} is currentTerm and {@code leaderId.nodeId()} is votedFor
 * (0 = voted for nobody in this term).
 */
public record Vote(LeaderId leaderId, boolean committed) {
  public static final Vote INITIAL = new Vote(new LeaderId(0, 0), false);

  public Vote {
    if (leaderId == null) throw new IllegalArgumentException("leaderId must not be null");
  }

  public static Vote of(long term, long nodeId, boolean committed) {
    return new Vote(new LeaderId(term, nodeId), committed);
  }

  public long term() {
    return leaderId.term();
  }

  /** The node this vote is for; 0 when the node has not voted in this term. */
  public long votedFor() {
    return leaderId.nodeId();
  }

  @Override
  public String toString() {
    return "Vote(" + leaderId + (committed ? ",committed)" : ")");
  }
}
