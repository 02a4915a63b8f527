package io.raftnode.node;

import io.raftnode.core.Action;
import io.raftnode.core.Event;
import io.raftnode.core.RaftCore;
import io.raftnode.model.ReadIndexRequest;
import io.raftnode.model.ReadIndexResponse;
import io.raftnode.model.TransferLeaderRequest;
import io.raftnode.transport.PeerClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's side of reads (ReadIndex, lease reads, waiting for the local apply) and of leadership transfer:
 * the requests waiting for the core's answer, and the actions that answer them. Runs on the node's event loop.
 */
final class ReadsAndTransfers {
  private static final Logger LOG = Logger.getLogger(ReadsAndTransfers.class.getName());

  private final RaftCore core;
  private final PeerDirectory peers;
  private final Context context;
  private final Consumer<Event> step;
  private final LongSupplier tokens;
  private final Replies<Long> readIndexes = new Replies<>();
  private final AppliedIndexWaiters appliedWaiters = new AppliedIndexWaiters();
  private final Replies<Long> transfers = new Replies<>();
  private final Replies<Void> transferReplies = new Replies<>();
  private List<Long> readBatch = new ArrayList<>();

  ReadsAndTransfers(RaftCore core, PeerDirectory peers, Context context, Consumer<Event> step, LongSupplier tokens) {
    this.core = core;
    this.peers = peers;
    this.context = context;
    this.step = step;
    this.tokens = tokens;
  }

  /**
   * A linearizable read index (thesis §6.4): the leader confirms its own (reads of one event-loop turn share one
   * heartbeat round); a follower asks the leader over ReadIndexService. Fails with NotLeaderException when no
   * leader is known or the one asked no longer leads, so callers may retry.
   */
  Future<Long> readIndex() {
    long leader = core.leaderId();
    if (leader == core.selfId()) return localReadIndex();
    PeerClient peer = leader == 0 ? null : peers.client(core.membership(), leader);
    if (peer == null) return Future.failedFuture(new NotLeaderException(0));
    return peer.readIndex(new ReadIndexRequest(core.selfId()))
        .map(ReadIndexResponse::readIndex)
        .recover(err -> {
          LOG.log(Level.FINE, "read index from node " + leader + " failed", err);
          return Future.failedFuture(new NotLeaderException(0)); // it moved or is unreachable: try again later
        });
  }

  private Future<Long> localReadIndex() {
    long token = tokens.getAsLong();
    Future<Long> index = readIndexes.add(token);
    if (readBatch.isEmpty()) context.runOnContext(v -> flushReads());
    readBatch.add(token);
    return index;
  }

  private void flushReads() {
    if (readBatch.isEmpty()) return;
    List<Long> batch = readBatch;
    readBatch = new ArrayList<>();
    step.accept(new Event.ReadIndex(batch));
  }

  /** A lease read index (thesis §6.4.1): answered at once by a leader whose lease holds. */
  Future<Long> leaseReadIndex() {
    long token = tokens.getAsLong();
    Future<Long> index = readIndexes.add(token);
    step.accept(new Event.LeaseRead(token));
    return index;
  }

  /** Completes once the state machine has applied {@code index}. */
  Future<Void> awaitApplied(long index) {
    return appliedWaiters.await(index);
  }

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
    long token = tokens.getAsLong();
    Future<Long> done = transfers.add(token);
    step.accept(new Event.TransferLeadership(token, target));
    return done;
  }

  Future<Void> onTransferLeader(TransferLeaderRequest request) {
    long token = tokens.getAsLong();
    Future<Void> reply = transferReplies.add(token);
    step.accept(new Event.TransferLeaderReceived(token, request));
    return reply;
  }

  /** Carries out a read or transfer action; false for any other action. */
  boolean execute(Action action) {
    if (action instanceof Action.ReadIndexReady ready) {
      readIndexes.complete(ready.token(), ready.index());
    } else if (action instanceof Action.ReadIndexFailed failed) {
      readIndexes.fail(failed.token(), new NotLeaderException(failed.leaderHint()));
    } else if (action instanceof Action.SendTransferLeader send) {
      sendTransferLeader(send);
    } else if (action instanceof Action.ReplyTransferLeader reply) {
      if (reply.error() == null) transferReplies.complete(reply.token(), null);
      else transferReplies.fail(reply.token(), new StatusException(GrpcStatus.FAILED_PRECONDITION, reply.error()));
    } else if (action instanceof Action.TransferRejected rejected) {
      transfers.fail(rejected.token(), new NotLeaderException(rejected.leaderHint()));
    } else if (action instanceof Action.TransferCompleted completed) {
      transfers.complete(completed.token(), completed.newLeader());
    } else if (action instanceof Action.TransferFailed failed) {
      transfers.fail(failed.token(), new TransferFailedException(failed.reason()));
    } else {
      return false;
    }
    return true;
  }

  /** A lost TransferLeader needs no handling here: the core gives up when no new leader appears in time. */
  private void sendTransferLeader(Action.SendTransferLeader send) {
    PeerClient peer = peers.client(core.membership(), send.to());
    if (peer == null) return;
    peer.transferLeader(send.request()).onFailure(err ->
        LOG.log(Level.INFO, "node " + send.to() + " did not take leadership: " + err.getMessage()));
  }

  void failAll(Throwable cause) {
    readIndexes.failAll(cause);
    appliedWaiters.failAll(cause);
    transfers.failAll(cause);
    transferReplies.failAll(cause);
  }
}
