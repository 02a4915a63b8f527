package io.raftnode.core;

import io.raftnode.model.LogId;
import io.raftnode.model.Vote;
import io.raftnode.model.VoteRequest;
import io.raftnode.model.VoteResponse;

/** Leader election (Raft §5.2) and the voting rules that keep it safe (§5.4.1). */
final class Elections {

  private final CoreState s;

  Elections(CoreState s) {
    this.s = s;
  }

  /** A tick for a node that is not leading: a voter that heard from no leader for its timeout stands. */
  void tick() {
    if (s.role == Role.LEARNER || !s.isVoter()) return;
    if (s.electionTimer.tick()) startElection();
  }

  /** Becomes candidate of the next term, votes for itself and asks every other voter (§5.2). */
  void startElection() {
    s.leadership = null;
    s.role = Role.CANDIDATE;
    s.leaderId = 0;
    s.candidacy = new Candidacy(s.selfId);
    s.updateVote(Vote.of(s.term() + 1, s.selfId, false));
    s.electionTimer.reset();
    if (s.membership.isQuorum(s.candidacy.granted())) {
      becomeLeader(); // a single voter is its own majority
      return;
    }
    VoteRequest request = new VoteRequest(s.vote, s.log.lastLogId(), false);
    for (long voter : s.membership.voterIds()) {
      if (voter != s.selfId) s.emit(new Action.SendVote(voter, request));
    }
  }

  void onRequest(long token, VoteRequest request) {
    long reqTerm = request.vote().term();
    if (reqTerm < s.term()) {
      reply(token, false);
      return;
    }
    boolean higher = reqTerm > s.term();
    Vote base = higher ? Vote.of(reqTerm, 0, false) : s.vote;
    long candidate = request.candidateId();
    // One vote per term (§5.2), and only for a log at least as up-to-date as ours (§5.4.1 election restriction).
    boolean free = base.votedFor() == 0 || base.votedFor() == candidate;
    boolean grant = free && isUpToDate(request.lastLogId(), s.log.lastLogId());
    Vote next = grant && base.votedFor() != candidate ? Vote.of(reqTerm, candidate, false) : base;
    s.updateVote(next);
    if (higher) {
      s.becomePassive(0);
    } else if (grant) {
      s.electionTimer.reset();
    }
    reply(token, grant);
  }

  /** §5.4.1: the log whose last entry has the later term is more up-to-date; with equal terms, the longer one. */
  static boolean isUpToDate(LogId candidateLast, LogId ownLast) {
    long ct = LogId.termOf(candidateLast);
    long ot = LogId.termOf(ownLast);
    if (ct != ot) return ct > ot;
    return LogId.indexOf(candidateLast) >= LogId.indexOf(ownLast);
  }

  private void reply(long token, boolean granted) {
    s.emit(new Action.ReplyVote(token, new VoteResponse(s.vote, granted, s.log.lastLogId())));
  }

  void onResponse(long from, VoteRequest sent, VoteResponse response) {
    if (response.vote().term() > s.term()) {
      s.stepDown(response.vote().term()); // §5.1: a higher term ends any candidacy or leadership
      return;
    }
    if (s.role != Role.CANDIDATE || !sent.vote().equals(s.vote) || !response.voteGranted()) return;
    s.candidacy.grant(from);
    if (s.membership.isQuorum(s.candidacy.granted())) becomeLeader();
  }

  /** Won the election: the vote becomes committed and the leader takes office with a blank entry. */
  private void becomeLeader() {
    s.candidacy = null;
    s.role = Role.LEADER;
    s.leaderId = s.selfId;
    s.updateVote(Vote.of(s.term(), s.selfId, true));
    s.leadership = new Leadership(s);
    s.leadership.start();
  }
}
