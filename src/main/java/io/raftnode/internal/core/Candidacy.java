package io.raftnode.internal.core;

import io.raftnode.internal.model.VoteRequest;
import java.util.Set;
import java.util.TreeSet;

/**
 * The votes collected for one request: a pre-vote round (thesis §9.6, the term is not raised) or a real election.
 * The candidate's own vote counts from the start.
 */
final class Candidacy {

  private final Set<Long> granted = new TreeSet<>();
  private final VoteRequest request;

  Candidacy(long selfId, VoteRequest request) {
    this.request = request;
    granted.add(selfId);
  }

  VoteRequest request() {
    return request;
  }

  boolean isPreVote() {
    return request.preVote();
  }

  void grant(long from) {
    granted.add(from);
  }

  Set<Long> granted() {
    return granted;
  }
}
