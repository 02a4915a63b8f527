package io.raftnode.internal.core;

import io.raftnode.internal.model.TransferLeaderRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Leadership transfer (thesis §3.10). The leader stops taking proposals, brings the target's log up to its own
 * last entry, then sends it TransferLeader; the target stands at once, skipping pre-vote, and voters set their
 * stickiness aside for it. The attempt has one maximum election timeout to catch the target up and another for the
 * election; when it runs out the old leader, if still leading, takes proposals again.
 */
final class Transfers {

  private static final class Pending {
    final long target;
    final long term;
    final List<Long> tokens = new ArrayList<>();
    long deadline;
    boolean sent;

    Pending(long target, long term, long deadline) {
      this.target = target;
      this.term = term;
      this.deadline = deadline;
    }
  }

  private final CoreState s;
  private final Elections elections;
  private Pending current;

  Transfers(CoreState s, Elections elections) {
    this.s = s;
    this.elections = elections;
  }

  /** While a transfer runs the leader takes no proposals, so the target can catch up with a log that stands still. */
  boolean inProgress() {
    return current != null;
  }

  void request(long token, long target) {
    if (s.leadership == null) {
      s.emit(new Action.TransferRejected(token, s.leaderId));
      return;
    }
    long to = target == 0 ? s.leadership.mostUpToDateVoter() : target;
    if (to == s.selfId) {
      s.emit(new Action.TransferCompleted(token, s.selfId));
    } else if (to == 0) {
      s.emit(new Action.TransferFailed(token, "there is no other voter to hand leadership to"));
    } else if (!s.membership.isVoter(to)) {
      s.emit(new Action.TransferFailed(token, "node " + to + " is not a voter"));
    } else if (current != null && current.target != to) {
      s.emit(new Action.TransferFailed(token, "a transfer to node " + current.target + " is already in progress"));
    } else {
      if (current == null) current = new Pending(to, s.term(), s.ticks + s.config.electionTicksMax());
      current.tokens.add(token);
      s.leadership.replicateAll();
    }
  }

  /** A transfer the core itself starts (a leader that is not a voter any more); nobody waits for its outcome. */
  void handOver(long target) {
    if (current != null) return;
    current = new Pending(target, s.term(), s.ticks + s.config.electionTicksMax());
    s.leadership.replicateAll();
  }

  /** After every step: send TransferLeader once the target caught up; finish once a new leader is known. */
  void afterStep() {
    if (current == null) return;
    if (s.leaderId != 0 && s.leaderId != s.selfId && s.term() > current.term) {
      long leader = s.leaderId;
      finish(token -> new Action.TransferCompleted(token, leader));
    } else if (s.leadership == null && !current.sent) {
      finish(token -> new Action.TransferFailed(token, "node " + s.selfId + " stopped leading before node "
          + current.target + " caught up"));
    } else if (!current.sent && s.leadership.matchIndexOf(current.target) >= s.log.lastIndex()) {
      s.leadership.forfeitLease();
      s.emit(new Action.SendTransferLeader(current.target,
          new TransferLeaderRequest(s.vote, current.target, s.log.lastLogId())));
      current.sent = true;
      current.deadline = s.ticks + s.config.electionTicksMax();
    }
  }

  void tick() {
    if (current == null || s.ticks < current.deadline) return;
    String reason = current.sent
        ? "node " + current.target + " was not elected within one election timeout"
        : "node " + current.target + " did not catch up within one election timeout";
    String outcome = s.leadership != null ? "; node " + s.selfId + " remains leader" : "";
    finish(token -> new Action.TransferFailed(token, reason + outcome));
  }

  private void finish(java.util.function.LongFunction<Action> outcome) {
    for (long token : current.tokens) s.emit(outcome.apply(token));
    current = null;
  }

  /**
   * The target's side: stand for election at once if the request comes from the leader of our term, is meant for
   * us, and our log holds the leader's last entry (so that we can win).
   */
  void onTransferLeader(long token, TransferLeaderRequest request) {
    String error = refusal(request);
    s.emit(new Action.ReplyTransferLeader(token, error));
    if (error == null && s.role != Role.LEADER) elections.startElection(true);
  }

  private String refusal(TransferLeaderRequest request) {
    if (request.toNodeId() != s.selfId) return "request is for node " + request.toNodeId() + ", this is node " + s.selfId;
    if (!s.isVoter()) return "node " + s.selfId + " is not a voter";
    if (request.fromLeader().term() < s.term())
      return "request is from term " + request.fromLeader().term() + ", this node is in term " + s.term();
    if (!Objects.equals(request.lastLogId(), s.log.lastLogId()))
      return "log not caught up: the leader's last entry is " + request.lastLogId() + ", ours " + s.log.lastLogId();
    return null;
  }
}
