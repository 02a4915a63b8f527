package io.raftnode.internal.core;

import io.raftnode.internal.core.Action.MembershipFailure;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.MembershipCommand;
import io.raftnode.internal.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Membership changes on the leader (Raft thesis §4.3, joint consensus, with etcd's learners and openraft's rules).
 * Every change of voters goes through a joint config C_old,new, which the leader leaves by appending C_new as soon
 * as the joint entry commits; adding or removing a learner is a single entry. A change takes effect on each node as
 * soon as its entry is in the log. The rules, each refused with a reason:
 * <ul>
 *   <li>one change at a time: none while the membership is joint or its entry is not committed;</li>
 *   <li>none before the leader has committed an entry of its own term (until then it may not know the latest
 *       committed membership): such a request waits for that commit;</li>
 *   <li>every new voter is a learner that holds the latest membership and is within
 *       {@link CoreConfig#learnerCatchUpEntries()} of the leader's last entry, so that it cannot stall commits;</li>
 *   <li>ids are never reused: a removed id cannot be added again;</li>
 *   <li>an optional compare-and-set: the membership must still be the one at the index the operator saw.</li>
 * </ul>
 * A leader that is not a voter of C_new keeps replicating until C_new commits (the commit rule does not count it),
 * then hands leadership to the most up-to-date voter and steps down (thesis §4.2.2). A leader elected while the
 * cluster is joint leaves the joint config the same way, so a change interrupted by a crash always completes.
 */
final class MembershipChanges {

  private record Request(long token, MembershipCommand command, long expectedIndex) {}

  /** The change this leader is carrying out; {@code finalIndex} is 0 until its last entry is appended. */
  private static final class Pending {
    final long token;
    final long term;
    long finalIndex;

    Pending(long token, long term, long finalIndex) {
      this.token = token;
      this.term = term;
      this.finalIndex = finalIndex;
    }
  }

  private final CoreState s;
  private final Transfers transfers;
  private final List<Request> awaitingTermCommit = new ArrayList<>();
  private Pending pending;
  /** Set once this leader, not a voter of the committed membership, started handing leadership over. */
  private boolean handingOver;

  MembershipChanges(CoreState s, Transfers transfers) {
    this.s = s;
    this.transfers = transfers;
  }

  void request(long token, MembershipCommand command, long expectedIndex) {
    Request r = new Request(token, command, expectedIndex);
    if (s.leadership == null) {
      fail(r, MembershipFailure.NOT_LEADER, "node " + s.selfId + " is not the leader");
    } else if (!committedInTerm()) {
      awaitingTermCommit.add(r);
    } else {
      decide(r);
    }
  }

  /** True while this leader is leaving office because it is not a voter of the new membership. */
  boolean leaderLeaving() {
    return handingOver;
  }

  /** After every step: leave a committed joint config, finish the pending change, hand leadership over if removed. */
  void afterStep() {
    if (s.leadership == null) {
      abandon();
      return;
    }
    if (!awaitingTermCommit.isEmpty() && committedInTerm()) {
      List<Request> waiting = List.copyOf(awaitingTermCommit);
      awaitingTermCommit.clear();
      waiting.forEach(this::decide);
    }
    Membership m = s.membership;
    LogId carrier = s.log.membershipLogId();
    boolean committed = carrier == null || carrier.index() <= s.commitIndex;
    if (m.isJoint() && committed) {
      long index = appendMembership(m.leaveJoint());
      if (pending != null && pending.finalIndex == 0) pending.finalIndex = index;
      return;
    }
    if (pending != null && pending.finalIndex > 0 && pending.finalIndex <= s.commitIndex) {
      long token = pending.token;
      pending = null;
      s.emit(new Action.MembershipChanged(token, m, carrier)); // one change at a time: the last entry is its own
    }
    if (committed && !m.isVoter(s.selfId)) handOver();
  }

  /** Thesis §4.2.2: a leader outside C_new leaves once C_new is committed, to the most up-to-date voter. */
  private void handOver() {
    if (!handingOver) {
      handingOver = true;
      long target = s.leadership.mostUpToDateVoter();
      if (target != 0) transfers.handOver(target);
    }
    if (!transfers.inProgress()) s.becomePassive(0); // handed over, or the transfer failed: step down regardless
  }

  /** The term of office ended: a change already appended may still complete under the next leader. */
  private void abandon() {
    handingOver = false;
    for (Request r : awaitingTermCommit) fail(r, MembershipFailure.NOT_LEADER, "node " + s.selfId + " stopped leading");
    awaitingTermCommit.clear();
    if (pending != null) {
      Pending lost = pending;
      pending = null;
      s.emit(new Action.MembershipChangeFailed(lost.token, MembershipFailure.OUTCOME_UNKNOWN, "node " + s.selfId
          + " stopped leading in term " + lost.term + " before the change committed; it may still complete: read the"
          + " membership to find out", s.leaderId));
    }
  }

  private void decide(Request r) {
    String invalid = invalid(r.command());
    if (invalid != null) {
      fail(r, MembershipFailure.INVALID, invalid);
      return;
    }
    String busy = changeInProgress();
    if (busy == null && handingOver) busy = "node " + s.selfId + " is handing leadership over";
    if (busy == null && transfers.inProgress()) busy = "a leadership transfer is in progress";
    if (busy != null) {
      fail(r, MembershipFailure.REFUSED, busy);
      return;
    }
    long current = LogId.indexOf(s.log.membershipLogId());
    if (r.expectedIndex() != 0 && r.expectedIndex() != current) {
      fail(r, MembershipFailure.REFUSED, "the membership is the one at log index " + current + ", not at "
          + r.expectedIndex() + " as expected: read it again and decide anew");
      return;
    }
    if (r.command() instanceof MembershipCommand.AddLearner add) {
      addLearner(r, add);
    } else if (r.command() instanceof MembershipCommand.SetVoters set) {
      setVoters(r, set.voters());
    } else {
      remove(r, ((MembershipCommand.RemoveNode) r.command()).nodeId());
    }
  }

  /** INVALID_ARGUMENT cases: what no membership could make valid. */
  private String invalid(MembershipCommand command) {
    Membership m = s.membership;
    if (command instanceof MembershipCommand.AddLearner add) {
      if (add.nodeId() <= 0) return "node ids start at 1: " + add.nodeId();
      if (add.node().peerAddress().isEmpty()) return "node " + add.nodeId() + " needs a peer address";
      return null;
    }
    if (command instanceof MembershipCommand.SetVoters set) {
      if (set.voters().isEmpty()) return "a cluster needs at least one voter";
      Set<Long> unknown = new TreeSet<>(set.voters());
      unknown.removeAll(m.nodes().keySet());
      return unknown.isEmpty() ? null : "not members: " + unknown + " (add each as a learner first)";
    }
    long id = ((MembershipCommand.RemoveNode) command).nodeId();
    if (!m.isMember(id) && !m.wasRemoved(id)) return "node " + id + " is not a member";
    if (m.configs().size() == 1 && m.configs().get(0).equals(Set.of(id))) {
      return "node " + id + " is the only voter; add and promote another first";
    }
    return null;
  }

  /** What keeps a new change from starting now, or null. */
  private String changeInProgress() {
    LogId carrier = s.log.membershipLogId();
    if (s.membership.isJoint()) {
      return "a change to voters " + s.membership.configs().get(1) + " is in progress (joint config at log index "
          + LogId.indexOf(carrier) + ")";
    }
    if (carrier != null && carrier.index() > s.commitIndex) {
      return "the membership change at log index " + carrier.index() + " is not committed yet";
    }
    return null;
  }

  private void addLearner(Request r, MembershipCommand.AddLearner add) {
    Membership m = s.membership;
    long id = add.nodeId();
    if (m.wasRemoved(id)) {
      fail(r, MembershipFailure.REFUSED, "node id " + id + " was removed from the cluster and is never reused:"
          + " add the machine under a new id");
    } else if (m.isMember(id)) {
      Node known = m.nodes().get(id);
      if (known.equals(add.node()) && !m.isVoter(id)) {
        done(r); // asked again: it is a learner already
      } else {
        fail(r, MembershipFailure.REFUSED, "node " + id + " is already a " + (m.isVoter(id) ? "voter" : "learner")
            + " at " + known.peerAddress());
      }
    } else {
      start(r, m.withLearner(id, add.node()), true);
    }
  }

  private void setVoters(Request r, Set<Long> voters) {
    Membership m = s.membership;
    if (m.configs().size() == 1 && m.configs().get(0).equals(voters)) {
      done(r);
      return;
    }
    for (long id : voters) {
      if (m.isVoter(id)) continue;
      String lag = catchUpLag(id);
      if (lag != null) {
        fail(r, MembershipFailure.REFUSED, lag);
        return;
      }
    }
    start(r, m.jointWith(voters, Set.of()), false);
  }

  private void remove(Request r, long id) {
    Membership m = s.membership;
    if (m.wasRemoved(id)) {
      done(r); // removed already
    } else if (!m.isVoter(id)) {
      start(r, m.withoutLearner(id), true);
    } else {
      Set<Long> remaining = new TreeSet<>(m.configs().get(0));
      remaining.remove(id);
      start(r, m.jointWith(remaining, Set.of(id)), false);
    }
  }

  /** Why {@code learner} may not become a voter yet, or null when it has caught up. */
  private String catchUpLag(long learner) {
    long last = s.log.lastIndex();
    long membershipIndex = LogId.indexOf(s.log.membershipLogId());
    long match = learner == s.selfId ? last : s.leadership.matchIndexOf(learner);
    long lag = last - Math.max(0, match);
    if (match >= membershipIndex && lag <= s.config.learnerCatchUpEntries()) return null;
    return "node " + learner + " has not caught up: it holds the log up to index " + Math.max(0, match)
        + ", the leader's last index is " + last + " (" + lag + " behind, at most "
        + s.config.learnerCatchUpEntries() + " allowed" + (match < membershipIndex
        ? ", and it must hold the membership at index " + membershipIndex : "") + "); retry once it has caught up";
  }

  /** Appends the first entry of a change; a single-entry change ends when that entry commits. */
  private void start(Request r, Membership next, boolean singleEntry) {
    long index = appendMembership(next);
    pending = new Pending(r.token(), s.term(), singleEntry ? index : 0);
  }

  private long appendMembership(Membership next) {
    List<LogId> ids = s.leadership.append(List.of(new EntryPayload.MembershipChange(next)));
    s.leadership.replicateAll();
    return ids.get(0).index();
  }

  /** Nothing to change: answered with the membership in force. */
  private void done(Request r) {
    LogId carrier = s.log.membershipLogId();
    s.emit(new Action.MembershipChanged(r.token(), s.membership, carrier));
  }

  private void fail(Request r, MembershipFailure failure, String message) {
    s.emit(new Action.MembershipChangeFailed(r.token(), failure, message, s.leaderId));
  }

  private boolean committedInTerm() {
    return s.log.termAt(s.commitIndex) == s.term();
  }
}
