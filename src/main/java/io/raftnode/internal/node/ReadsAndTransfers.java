package io.raftnode.internal.node;

import io.raftnode.NotLeaderException;
import io.raftnode.internal.core.Action;
import io.raftnode.internal.core.Event;
import io.raftnode.internal.core.RaftCore;
import io.raftnode.internal.model.ReadIndexRequest;
import io.raftnode.internal.model.ReadIndexResponse;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.transport.PeerClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's side of reads (ReadIndex, lease reads, waiting for the local apply) and of leadership transfer: the
 * requests it hands the core, which wait in {@link PendingCalls} for its answer. Runs on the node's event loop.
 */
final class ReadsAndTransfers {
  private static final Logger LOG = Logger.getLogger(ReadsAndTransfers.class.getName());

  private final RaftCore core;
  private final PeerDirectory peers;
  private final Context context;
  private final Consumer<Event> step;
  private final PendingCalls calls;
  private final AppliedIndexWaiters appliedWaiters;
  private List<Long> readBatch = new ArrayList<>();

  /** {@code appliedIndex}: what the state machine holds at start (the snapshot it was restored from). */
  ReadsAndTransfers(RaftCore core, PeerDirectory peers, Context context, Consumer<Event> step, PendingCalls calls,
      long appliedIndex) {
    this.core = core;
    this.peers = peers;
    this.context = context;
    this.step = step;
    this.calls = calls;
    this.appliedWaiters = new AppliedIndexWaiters(appliedIndex);
  }

  /**
   * A linearizable read index (thesis §6.4): the leader confirms its own (reads of one event-loop turn share one
   * heartbeat round); a follower asks the leader over ReadIndexService. Fails with NotLeaderException when no
   * leader is known or the one asked no longer leads, so callers may retry.
   */
  Future<Long> readIndex() {
    long leader = core.leaderId();
    if (leader == core.selfId()) return localReadIndex();
    PeerClient peer = leader == 0 ? null : peers.client(leader);
    if (peer == null) return Future.failedFuture(new NotLeaderException(0));
    return peer.readIndex(new ReadIndexRequest(core.selfId()))
        .map(ReadIndexResponse::readIndex)
        .recover(err -> {
          LOG.log(Level.FINE, "read index from node " + leader + " failed", err);
          return Future.failedFuture(new NotLeaderException(0)); // it moved or is unreachable: try again later
        });
  }

  private Future<Long> localReadIndex() {
    Promise<Long> index = Promise.promise();
    if (readBatch.isEmpty()) context.runOnContext(v -> flushReads());
    readBatch.add(calls.add(index));
    return index.future();
  }

  private void flushReads() {
    if (readBatch.isEmpty()) return;
    List<Long> batch = readBatch;
    readBatch = new ArrayList<>();
    step.accept(new Event.ReadIndex(batch));
  }

  /** A lease read index (thesis §6.4.1): answered at once by a leader whose lease holds. */
  Future<Long> leaseReadIndex() {
    Promise<Long> index = Promise.promise();
    step.accept(new Event.LeaseRead(calls.add(index)));
    return index.future();
  }

  /** Completes once the state machine has applied {@code index}. */
  Future<Void> awaitApplied(long index) {
    return appliedWaiters.await(index);
  }

  /** The state machine has applied every entry up to {@code index}, or was restored from a snapshot up to it. */
  void applied(long index) {
    appliedWaiters.applied(index);
  }

  /** ReadIndexService on the leader: a read index for a follower, or UNAVAILABLE "not leader". */
  Future<ReadIndexResponse> onReadIndex(ReadIndexRequest request) {
    return localReadIndex()
        .map(index -> new ReadIndexResponse(index, core.vote()))
        .recover(err -> Future.failedFuture(new StatusException(GrpcStatus.UNAVAILABLE, "not leader: " + err.getMessage())));
  }

  Future<Long> transferLeadership(long target) {
    Promise<Long> done = Promise.promise();
    step.accept(new Event.TransferLeadership(calls.add(done), target));
    return done.future();
  }

  Future<Void> onTransferLeader(TransferLeaderRequest request) {
    Promise<Void> reply = Promise.promise();
    step.accept(new Event.TransferLeaderReceived(calls.add(reply), request));
    return reply.future();
  }

  /** A lost TransferLeader needs no handling here: the core gives up when no new leader appears in time. */
  void sendTransferLeader(Action.SendTransferLeader send) {
    PeerClient peer = peers.client(send.to());
    if (peer == null) return;
    peer.transferLeader(send.request()).onFailure(err ->
        LOG.log(Level.INFO, "node " + send.to() + " did not take leadership: " + err.getMessage()));
  }

  void failAll(Throwable cause) {
    appliedWaiters.failAll(cause);
  }
}
