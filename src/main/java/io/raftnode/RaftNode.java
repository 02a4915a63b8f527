package io.raftnode;

import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * The embedding API of a running node: what an application does with the cluster it is part of.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. Every future it returns, and every listener,
 * completes or is called on the caller's Vert.x context (the one current at the call or at registration); a caller
 * on no Vert.x thread is answered on a thread of Vert.x's worker pool (a listener's calls still one at a time, in
 * order). Never on the node's Raft event loop: a callback
 * that blocks does not hold up heartbeats, elections or replication. (An event-loop context of your own may share
 * its thread with the Raft loop, as Vert.x shares event loops between verticles, so do not block on an event loop;
 * use a worker context for blocking work, as everywhere in Vert.x.)
 *
 * <p><b>Failures.</b> A call to a node that does not lead fails with {@link NotLeaderException} naming the leader
 * when one is known; a proposal whose outcome is unknown fails with {@link ProposalFailedException}.
 */
public interface RaftNode {

  /**
   * This node's id.
   *
   * @return {@code node_id} of its config
   */
  long nodeId();

  /**
   * Replicates {@code command} and applies it to the state machine on every node; completes once this node applied
   * it, with the log index and the state machine's reply. Only the leader accepts proposals: wait for
   * {@link #leaderKnown()} and propose on the node it names, or forward to it.
   *
   * @param command the bytes {@link io.raftnode.statemachine.StateMachine#apply} gets
   * @return the applied entry; fails with {@link NotLeaderException}, {@link ProposalRefusedException} (nothing
   *     proposed) or {@link ProposalFailedException} (its reason says whether it may still apply)
   */
  Future<Applied> propose(byte[] command);

  /**
   * Completes once this node, if it refused a proposal with {@link ProposalRefusedException} (flow control), has
   * room for proposals again: the bytes it holds for proposals not yet applied fell to half its bound. Completes at
   * once when there is room.
   *
   * @return a future completed when proposals fit again
   */
  default Future<Void> proposalRoom() {
    return Future.succeededFuture();
  }

  /**
   * Answers a read-only query from this node's current state (as fresh as its applied index: may lag).
   *
   * @param query the bytes {@link io.raftnode.statemachine.StateMachine#query} gets
   * @return the state machine's answer
   */
  Future<byte[]> query(byte[] query);

  /**
   * Read-your-writes: waits until this node has applied log index {@code minAppliedIndex} (for example the
   * {@link Applied#index()} of your own write), then answers {@code query} from the local state, which then includes
   * that write and everything before it. Works on followers too. Fails with a
   * {@link java.util.concurrent.TimeoutException} when the index is not applied within {@code timeoutMs}.
   *
   * @param query           the bytes {@link io.raftnode.statemachine.StateMachine#query} gets
   * @param minAppliedIndex the log index the answer must include, 0 or more
   * @param timeoutMs       how long to wait for it, more than 0
   * @return the state machine's answer
   */
  Future<byte[]> query(byte[] query, long minAppliedIndex, long timeoutMs);

  /**
   * Answers {@code query} linearizably (Raft thesis §6.4): gets a read index (confirmed by the leader with a
   * heartbeat round; a follower asks the leader for it), waits until this node has applied it, then queries the
   * local state machine. Fails with {@link NotLeaderException} when no leader can confirm the read; it is safe to
   * retry.
   *
   * @param query the bytes {@link io.raftnode.statemachine.StateMachine#query} gets
   * @return the state machine's answer, as fresh as every write committed before the call
   */
  Future<byte[]> linearizableRead(byte[] query);

  /**
   * Answers {@code query} on the leader without a round trip while its lease holds (thesis §6.4.1), else like
   * {@link #linearizableRead}. Fails with {@link NotLeaderException} on a node that is not the leader.
   *
   * @param query the bytes {@link io.raftnode.statemachine.StateMachine#query} gets
   * @return the state machine's answer
   */
  Future<byte[]> leaseRead(byte[] query);

  /**
   * Completes once this node knows a leader (at once if it knows one now), with that leader: possibly this node.
   * Leadership may move on right after; {@link #onLeaderChange} follows it. There is no future for "this node
   * leads": that can end at any moment, so watch {@link LeaderChange#thisNodeLeads()} instead. Add a
   * {@link Future#timeout} for a bound.
   *
   * @return the first leader known
   */
  Future<KnownLeader> leaderKnown();

  /**
   * Calls {@code listener} with the leader known now, then on every change of the leader this node knows of (a new
   * leader, a new term of the same one, or none known), in order. Called on the registrant's context (see above),
   * never on the Raft loop; a listener registered before the node starts hears from it once it runs.
   *
   * @param listener called with each leader change
   * @return the registration, to cancel it
   */
  Registration onLeaderChange(Consumer<LeaderChange> listener);

  /**
   * Calls {@code listener} with the membership in force now, then each time another one takes effect on this node
   * (learners added, voters changed, joint configurations entered and left, members removed), in order. Called on
   * the registrant's context, never on the Raft loop.
   *
   * @param listener called with each membership that takes effect
   * @return the registration, to cancel it
   */
  Registration onMembershipChange(Consumer<MembershipChange> listener);

  /**
   * Hands leadership to {@code target} (0 = the most up-to-date other voter) and completes with the id of the
   * newly elected leader. Fails with {@link NotLeaderException} on a node that is not the leader, and with
   * {@link TransferFailedException} when no new leader was elected in time.
   *
   * @param target the voter to hand leadership to, 0 for the most up-to-date one
   * @return the id of the new leader
   */
  Future<Long> transferLeadership(long target);

  /**
   * The node's Raft state now, as AdminService.Status reports it.
   *
   * @return the status
   */
  Future<NodeStatus> status();

  /**
   * The leader this node knows of (possibly itself), with its client address: the hint a refused client gets.
   *
   * @return the leader, {@link KnownLeader#NONE} when none is known
   */
  Future<KnownLeader> knownLeader();

  /**
   * Takes a snapshot of everything applied so far and compacts the log; completes with the index the snapshot
   * covers (AdminService.TakeSnapshot).
   *
   * @return the log index the snapshot covers
   */
  default Future<Long> takeSnapshot() {
    return Future.failedFuture(new UnsupportedOperationException("this node takes no snapshots"));
  }

  /** A listener's registration: {@link #cancel()} stops the calls (one already handed to its context may still run). */
  interface Registration {
    /** Stops the calls to the listener. */
    void cancel();
  }
}
