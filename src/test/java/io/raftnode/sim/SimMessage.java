package io.raftnode.sim;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.ReadIndexRequest;
import io.raftnode.internal.model.ReadIndexResponse;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;

/**
 * What travels between simulated nodes. A request carries the sender's incarnation and call id so that an answer
 * reaches only the very call that asked (a restarted node has forgotten its old calls, as a real one has).
 */
sealed interface SimMessage {

  record VoteCall(int incarnation, long callId, VoteRequest request) implements SimMessage {}

  record VoteAnswer(int incarnation, long callId, VoteResponse response) implements SimMessage {}

  /**
   * The refusal of a vote request from a candidate this node knows was removed from the cluster (the node's
   * PeerRequestChecks answers FAILED_PRECONDITION saying so).
   */
  record VoteRefusedRemoved(int incarnation, long callId) implements SimMessage {}

  record AppendCall(int incarnation, long callId, AppendEntriesRequest request) implements SimMessage {}

  record AppendAnswer(int incarnation, long callId, AppendEntriesResponse response) implements SimMessage {}

  /** ReadIndexService: a follower asks the leader for a read index. */
  record ReadIndexCall(int incarnation, long callId, ReadIndexRequest request) implements SimMessage {}

  /** The leader's read index, or null when it could not confirm one (UNAVAILABLE "not leader"). */
  record ReadIndexAnswer(int incarnation, long callId, ReadIndexResponse response) implements SimMessage {}

  /**
   * TransferLeader, one way: the leader does not act on the target's answer (the core gives up when no new leader
   * appears in time), so the answer is not modelled.
   */
  record TransferCall(TransferLeaderRequest request) implements SimMessage {}

  /**
   * A Snapshot stream as one message: the leader's vote, what the snapshot covers and the state machine's bytes.
   * {@code to} is kept so the sender can report the outcome.
   */
  record SnapshotCall(int incarnation, long callId, long to, Vote vote, SnapshotMeta meta, byte[] data)
      implements SimMessage {}

  record SnapshotAnswer(int incarnation, long callId, SnapshotResponse response) implements SimMessage {}
}
