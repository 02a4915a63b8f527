package io.raftnode.internal.storage;

import io.raftnode.internal.model.Vote;

/** A VoteStore in memory, for tests and simulations. */
public final class InMemoryVoteStore implements VoteStore {
  private Vote vote = Vote.INITIAL;

  @Override
  public synchronized Vote load() {
    return vote;
  }

  @Override
  public synchronized void save(Vote vote) {
    if (vote == null) throw new IllegalArgumentException("vote must not be null");
    this.vote = vote;
  }
}
