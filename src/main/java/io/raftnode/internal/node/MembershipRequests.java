package io.raftnode.internal.node;

import io.raftnode.MembershipChangeException;
import io.raftnode.NodeStatus;
import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Action.MembershipFailure;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.core.PeerProgress;
import io.raftnode.internal.core.RaftCore;
import io.raftnode.internal.core.Role;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.MembershipCommand;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.StoredMembership;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The node's side of membership changes, on the node's event loop: an operator's change handed to the core and
 * answered when it commits (or failed after a bounded wait, with its outcome unknown), and what the node keeps
 * about members for Status: peers found to have lost their log, and whether this node was removed.
 */
final class MembershipRequests {
  private static final Logger LOG = Logger.getLogger(MembershipRequests.class.getName());

  private final RaftCore core;
  private final Consumer<Event> step;
  private final PendingCalls calls;
  private final Vertx vertx;
  private final long timeoutMs;
  /** Peers that lost their log, by id, as reported while this node led; forgotten once they are no members. */
  private final Map<Long, Action.PeerLostLog> lostLogs = new TreeMap<>();
  private boolean toldRemoved;

  MembershipRequests(RaftCore core, Consumer<Event> step, PendingCalls calls, Vertx vertx, long timeoutMs) {
    this.core = core;
    this.step = step;
    this.calls = calls;
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Asks the core for {@code command}; completes with the committed membership and its entry's id. Fails with
   * {@link MembershipChangeException}: NOT_LEADER, INVALID or REFUSED when nothing changed, OUTCOME_UNKNOWN when
   * the change may still complete (leadership lost, the node stopped, or no commit within the timeout).
   */
  Future<StoredMembership> change(MembershipCommand command, long expectedIndex) {
    Promise<Action.MembershipChanged> answer = Promise.promise();
    long token = calls.add(answer);
    long timer = vertx.setTimer(timeoutMs, id -> calls.fail(token, outcomeUnknown("the change did not commit within "
        + timeoutMs + " ms; it may still complete: read the membership (Status) to find out", core.leaderId())));
    answer.future().onComplete(done -> vertx.cancelTimer(timer));
    step.accept(new Event.ChangeMembership(token, command, expectedIndex));
    return answer.future()
        .map(changed -> new StoredMembership(changed.logId(), changed.membership()))
        .recover(err -> Future.failedFuture(err instanceof MembershipChangeException ? err
            : outcomeUnknown("the node stopped before the change was known to commit; it may still complete: read"
                + " the membership to find out (" + err.getMessage() + ")", 0)));
  }

  private static MembershipChangeException outcomeUnknown(String message, long leaderHint) {
    return new MembershipChangeException(MembershipChangeException.Failure.OUTCOME_UNKNOWN, message, leaderHint);
  }

  void changed(Action.MembershipChanged changed) {
    calls.complete(changed.token(), changed);
  }

  void failed(Action.MembershipChangeFailed failed) {
    calls.fail(failed.token(), new MembershipChangeException(publicFailure(failed.failure()), failed.message(),
        failed.leaderHint()));
  }

  /** The core's reason as the embedding API names it (the same four cases). */
  static MembershipChangeException.Failure publicFailure(MembershipFailure failure) {
    return switch (failure) {
      case NOT_LEADER -> MembershipChangeException.Failure.NOT_LEADER;
      case INVALID -> MembershipChangeException.Failure.INVALID;
      case REFUSED -> MembershipChangeException.Failure.REFUSED;
      case OUTCOME_UNKNOWN -> MembershipChangeException.Failure.OUTCOME_UNKNOWN;
    };
  }

  /** Logged once per peer and kept for Status until the peer is no longer a member. */
  void lostLog(Action.PeerLostLog lost) {
    lostLogs.put(lost.peer(), lost);
    LOG.severe("node " + lost.peer() + " lost its data: it acknowledged the log up to index " + lost.acknowledged()
        + " but now holds it only up to " + lost.holds() + " (a wiped or replaced disk). It gets no more entries"
        + " under its id. Remove it (member remove " + lost.peer() + ") and add the machine back under a new id"
        + " (README, \"Replacing a node that lost its disk\").");
  }

  /**
   * {@code member} refused our vote request because its membership lists this node as removed: ids are never
   * reused, so this node stops campaigning for good (logged once).
   */
  void toldRemoved(long member) {
    if (toldRemoved) return;
    toldRemoved = true;
    LOG.severe("node " + core.selfId() + " was removed from the cluster (node " + member + " says so): it no longer"
        + " campaigns or votes. Stop this process; to bring the machine back, add it as a learner under a new id"
        + " with an empty data dir and \"members\": {} (README, \"Membership changes\").");
    step.accept(new Event.RemovedFromCluster(member));
  }

  /** Drops what is kept about nodes that are no longer members. */
  void forgetNonMembers() {
    Membership m = core.membership();
    lostLogs.keySet().removeIf(id -> !m.isMember(id));
  }

  boolean removedFromCluster() {
    Membership m = core.membership();
    return core.removedFromCluster() || (m.wasRemoved(core.selfId()) && !m.isMember(core.selfId()));
  }

  /** Every member of the effective membership; with the leader's view of each on the leader. */
  List<NodeStatus.Member> members(long tickMs) {
    Membership m = core.membership();
    Map<Long, PeerProgress> progress = core.peerProgress();
    boolean leading = core.role() == Role.LEADER;
    long last = LogId.indexOf(core.lastLogId());
    List<NodeStatus.Member> out = new ArrayList<>();
    for (Map.Entry<Long, Node> e : m.nodes().entrySet()) {
      long id = e.getKey();
      NodeStatus.Progress view = null;
      if (leading && id == core.selfId()) {
        view = new NodeStatus.Progress(last, 0, "self", false, 0);
      } else if (leading && progress.containsKey(id)) {
        PeerProgress p = progress.get(id);
        view = new NodeStatus.Progress(p.matchIndex(), Math.max(0, last - p.matchIndex()),
            p.state().toLowerCase(Locale.ROOT), p.lostLog() || lostLogs.containsKey(id), p.ticksSilent() * tickMs);
      }
      out.add(new NodeStatus.Member(id, e.getValue().peerAddress(), e.getValue().clientAddress(), m.isVoter(id),
          id == core.leaderId(), view));
    }
    return out;
  }
}
