package io.raftnode.sim;

import io.raftnode.model.AppendEntriesRequest;
import io.raftnode.model.AppendEntriesResponse;
import io.raftnode.model.VoteRequest;
import io.raftnode.model.VoteResponse;

/**
 * What travels between simulated nodes. A request carries the sender's incarnation and call id so that an answer
 * reaches only the very call that asked (a restarted node has forgotten its old calls, as a real one has).
 */
sealed interface SimMessage {

  record VoteCall(int incarnation, long callId, VoteRequest request) implements SimMessage {}

  record VoteAnswer(int incarnation, long callId, VoteResponse response) implements SimMessage {}

  record AppendCall(int incarnation, long callId, AppendEntriesRequest request) implements SimMessage {}

  record AppendAnswer(int incarnation, long callId, AppendEntriesResponse response) implements SimMessage {}
}
