package io.raftnode.internal.transport;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.ReadIndexRequest;
import io.raftnode.internal.model.ReadIndexResponse;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import io.vertx.core.Future;

/**
 * Where decoded peer requests go: the node implements it. Called on the node's event loop; must not block and
 * must not throw (a refused request is a failed Future carrying a StatusException).
 */
public interface RaftInbox {
  Future<VoteResponse> onVote(VoteRequest request);

  Future<AppendEntriesResponse> onAppendEntries(AppendEntriesRequest request);

  /** Succeeds once the node accepted the request and started its election. */
  Future<Void> onTransferLeader(TransferLeaderRequest request);

  /** ReadIndexService: a leader answers with a read index it confirmed with a quorum. */
  Future<ReadIndexResponse> onReadIndex(ReadIndexRequest request);

  /** The membership the node acts on now (empty for a node not yet added); used to refuse removed candidates. */
  Membership currentMembership();

  /** Counts the bytes of the calls {@code peer} makes to this node. */
  default PeerTraffic trafficFrom(long peer) {
    return PeerTraffic.NONE;
  }

  /** What this node holds of the log before it is durable and applied; StreamAppend reads pause while it is full. */
  default AppendBuffer appendBuffer() {
    return UNBOUNDED_BUFFER;
  }

  /** The buffer of an inbox that bounds nothing. */
  AppendBuffer UNBOUNDED_BUFFER = AppendBuffer.unbounded();
}
