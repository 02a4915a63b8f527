package io.raftnode.internal.core;

import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;

/**
 * Leader election (Raft §5.2) and the voting rules that keep it safe (§5.4.1), with the two guards of thesis
 * §9.6 against disruptive servers: a pre-vote round before a node raises its term, and "stickiness" (a node that
 * heard from a live leader within the minimum election timeout refuses votes).
 */
final class Elections {

  private final CoreState s;

  Elections(CoreState s) {
    this.s = s;
  }

  /** A tick for a node that is not leading: a voter that heard from no leader for its timeout asks for pre-votes. */
  void tick() {
    if (s.role == Role.LEARNER || !s.isVoter()) return;
    if (s.electionTimer.tick()) startPreVote();
  }

  /**
   * Asks every voter whether it would vote for us at term+1, without raising our term (§9.6): a node cut off from
   * the cluster keeps failing here, so when it comes back its term is still the cluster's and it deposes no one.
   */
  private void startPreVote() {
    s.abandonLeadership();
    s.role = s.passiveRole();
    s.leaderId = 0;
    s.electionTimer.reset();
    VoteRequest request = new VoteRequest(Vote.of(s.term() + 1, s.selfId, false), s.log.lastLogId(), false, true);
    s.candidacy = new Candidacy(s.selfId, request);
    if (s.membership.isQuorum(s.candidacy.granted())) {
      startElection(false);
      return;
    }
    sendToVoters(request);
  }

  /**
   * Becomes candidate of the next term, votes for itself and asks every other voter (§5.2). A leadership transfer
   * ({@code transfer}) skips pre-vote and marks the request so that voters set their stickiness aside (§3.10).
   */
  void startElection(boolean transfer) {
    s.abandonLeadership();
    s.role = Role.CANDIDATE;
    s.leaderId = 0;
    s.updateVote(Vote.of(s.term() + 1, s.selfId, false));
    s.electionTimer.reset();
    VoteRequest request = new VoteRequest(s.vote, s.log.lastLogId(), transfer, false);
    s.candidacy = new Candidacy(s.selfId, request);
    if (s.membership.isQuorum(s.candidacy.granted())) {
      becomeLeader(); // a single voter is its own majority
      return;
    }
    sendToVoters(request);
  }

  private void sendToVoters(VoteRequest request) {
    for (long voter : s.membership.voterIds()) {
      if (voter != s.selfId) s.emit(new Action.SendVote(voter, request));
    }
  }

  void onRequest(long token, VoteRequest request) {
    if (request.preVote()) {
      onPreVote(token, request);
      return;
    }
    long reqTerm = request.vote().term();
    if (reqTerm < s.term() || (!request.leadershipTransfer() && s.heardFromLeaderRecently())) {
      reply(token, false); // §5.1 stale candidate; §9.6 a live leader is followed, the term is not adopted
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

  /**
   * A pre-vote is granted when a real vote at that term could be: the term is above ours, the candidate's log is
   * up to date, and we follow no live leader. Nothing changes here and nothing is persisted (§9.6).
   */
  private void onPreVote(long token, VoteRequest request) {
    boolean grant = request.vote().term() > s.term()
        && (request.leadershipTransfer() || !s.heardFromLeaderRecently())
        && isUpToDate(request.lastLogId(), s.log.lastLogId());
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
      // §5.1: a higher term ends any candidacy or leadership. A granted pre-vote never carries one (it is granted
      // only above the responder's term), so this is always a refusal from a node that is ahead of us.
      s.stepDown(response.vote().term());
      return;
    }
    Candidacy c = s.candidacy;
    if (c == null || !sent.equals(c.request()) || !response.voteGranted()) return;
    if (!c.isPreVote() && !sent.vote().equals(s.vote)) return;
    c.grant(from);
    if (!s.membership.isQuorum(c.granted())) return;
    if (c.isPreVote()) startElection(false);
    else becomeLeader();
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
