package io.raftnode.internal.node;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.ReadIndexRequest;
import io.raftnode.internal.model.ReadIndexResponse;
import io.raftnode.internal.model.SnapshotMessage;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import io.raftnode.internal.transport.AppendBuffer;
import io.raftnode.internal.transport.PeerTraffic;
import io.raftnode.internal.transport.RaftInbox;
import io.raftnode.internal.transport.SnapshotInbox;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the peer port's requests go. Once the node runs ({@link #open}) that is the runtime. Before, while a
 * founding member with an empty data dir asks the other founders whether the cluster exists ({@link FounderStart}),
 * the node has no core: it answers founders' probes (a pre-vote with no log, which changes nothing) with its term
 * and what its log holds, notes who probed it, and refuses everything else with UNAVAILABLE. In particular it
 * grants no vote: a node that may have lost its disk must not vote before it knows.
 */
public final class PeerInbox implements RaftInbox, SnapshotInbox {
  private final long selfId;
  private final Vote restoredVote;
  private final Set<Long> probedBy = new TreeSet<>();
  private LogId bootstrapEntry;
  private NodeRuntime runtime;

  public PeerInbox(long selfId, Vote restoredVote) {
    this.selfId = selfId;
    this.restoredVote = restoredVote;
  }

  /** From now on requests go to {@code runtime}. */
  public void open(NodeRuntime runtime) {
    this.runtime = runtime;
  }

  /** This node wrote the bootstrap entry; probes are answered with it from now on. */
  void bootstrapped(LogId entry) {
    bootstrapEntry = entry;
  }

  /** The founders that have probed this node so far (each got an answer showing it at the cluster's start). */
  Set<Long> probedBy() {
    return probedBy;
  }

  /** A founder asking whether the cluster exists: a pre-vote that claims no log (no voter has an empty log). */
  static boolean isProbe(VoteRequest request) {
    return request.preVote() && request.lastLogId() == null;
  }

  @Override
  public Future<VoteResponse> onVote(VoteRequest request) {
    if (runtime != null) return runtime.onVote(request);
    if (!isProbe(request)) return starting();
    probedBy.add(request.candidateId());
    return Future.succeededFuture(new VoteResponse(restoredVote, false, bootstrapEntry));
  }

  @Override
  public Future<AppendEntriesResponse> onAppendEntries(AppendEntriesRequest request) {
    return runtime != null ? runtime.onAppendEntries(request) : starting();
  }

  /** Counted once the runtime (and its metrics) exist; a founder's probes before that are not peer traffic. */
  @Override
  public PeerTraffic trafficFrom(long peer) {
    return runtime != null ? runtime.trafficFrom(peer) : RaftInbox.super.trafficFrom(peer);
  }

  @Override
  public AppendBuffer appendBuffer() {
    return runtime != null ? runtime.appendBuffer() : RaftInbox.super.appendBuffer();
  }

  @Override
  public Future<Void> onTransferLeader(TransferLeaderRequest request) {
    return runtime != null ? runtime.onTransferLeader(request) : starting();
  }

  @Override
  public Future<ReadIndexResponse> onReadIndex(ReadIndexRequest request) {
    return runtime != null ? runtime.onReadIndex(request) : starting();
  }

  @Override
  public Membership currentMembership() {
    return runtime != null ? runtime.currentMembership() : Membership.empty();
  }

  @Override
  public Vote currentVote() {
    return runtime != null ? runtime.snapshots().currentVote() : restoredVote;
  }

  @Override
  public Future<SnapshotSink> openSink(SnapshotMessage.Meta meta) {
    return runtime != null ? runtime.snapshots().openSink(meta) : starting();
  }

  @Override
  public Future<SnapshotResponse> onSnapshot(SnapshotMessage.Meta meta, SnapshotSink sink) {
    if (runtime != null) return runtime.snapshots().onSnapshot(meta, sink);
    sink.discard();
    return starting();
  }

  private <T> Future<T> starting() {
    return Future.failedFuture(new StatusException(GrpcStatus.UNAVAILABLE, "node " + selfId + " is starting: it is"
        + " asking the other founding members whether the cluster exists"));
  }
}
