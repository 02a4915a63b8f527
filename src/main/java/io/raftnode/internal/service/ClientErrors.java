package io.raftnode.internal.service;

import io.raftnode.KnownLeader;
import io.raftnode.NotLeaderException;
import io.raftnode.ProposalFailedException;
import io.raftnode.ProposalRefusedException;
import io.raftnode.RaftNode;
import io.raftnode.TransferFailedException;
import io.raftnode.internal.service.ClientFailure.Reason;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.internal.transport.RequestNotSentException;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * Turns whatever made a client call fail into the status and detail the client gets ({@link ClientFailure}). For a
 * write the one rule is: a status that README calls "not applied" (UNAVAILABLE, FAILED_PRECONDITION,
 * INVALID_ARGUMENT, RESOURCE_EXHAUSTED) only when the write certainly never applied and never will; otherwise
 * DEADLINE_EXCEEDED (the client's deadline passed) or UNKNOWN, both with reason outcome-unknown.
 *
 * <ul>
 *   <li>not the leader, no leader known (the core rejected the proposal, or the wait for a leader ran out):
 *       UNAVAILABLE not-leader;</li>
 *   <li>the write lost its log slot, or the node stopped (or had failed) before its core accepted the write:
 *       UNAVAILABLE not-applied;</li>
 *   <li>the leader's flow control refused it (the bytes it holds for writes not yet applied are at their bound):
 *       RESOURCE_EXHAUSTED not-applied, with a retry hint (the store quota's refusal, {@link StoreQuota}, is the same
 *       without a hint: waiting frees nothing);</li>
 *   <li>it did not commit within the proposal timeout: DEADLINE_EXCEEDED outcome-unknown;</li>
 *   <li>the node stopped after its core accepted the write into the log: UNKNOWN outcome-unknown;</li>
 *   <li>forwarding: no connection to the leader could be made (the request never left): UNAVAILABLE not-applied;
 *       any later transport failure (reset stream, lost connection, our own timeout): outcome unknown; a status
 *       from the leader: passed through with its detail, except an UNAVAILABLE without a reason (from something
 *       that does not classify writes), which becomes UNKNOWN.</li>
 * </ul>
 *
 * Reads change nothing, so their transport failures stay UNAVAILABLE ("retry").
 */
public final class ClientErrors {
  private ClientErrors() {}

  /** The failure a client gets for a write (Put, Delete, CompareAndSwap) that failed with {@code err}. */
  public static ClientFailure classifyWrite(Throwable err, CallDeadline deadline) {
    return classify(err, true, deadline);
  }

  /** The failure a client gets for a read or an admin call that failed with {@code err}. */
  public static ClientFailure classifyRead(Throwable err) {
    return classify(err, false, CallDeadline.NONE);
  }

  private static ClientFailure classify(Throwable err, boolean write, CallDeadline deadline) {
    if (err instanceof ClientFailure failure) return failure;
    if (err instanceof StatusException s) return ofStatus(s.status(), s.message(), write);
    if (err instanceof RemoteCallException remote) return ofRemote(ClientFailure.of(remote), write);
    if (err instanceof NotLeaderException notLeader) {
      return new ClientFailure(GrpcStatus.UNAVAILABLE, "no leader is available (" + notLeader.getMessage()
          + "); the request was not carried out; retry", Reason.NOT_LEADER, notLeader.leaderHint(), "");
    }
    if (err instanceof TransferFailedException failed) {
      return new ClientFailure(GrpcStatus.ABORTED, "leadership transfer failed: " + failed.getMessage(), null);
    }
    if (err instanceof ProposalFailedException failed) return ofProposal(failed);
    if (err instanceof ProposalRefusedException refused) {
      return new ClientFailure(GrpcStatus.RESOURCE_EXHAUSTED, refused.getMessage(), Reason.NOT_APPLIED, 0, "",
          refused.retryAfterMs());
    }
    if (err instanceof RequestNotSentException notSent) {
      return new ClientFailure(GrpcStatus.UNAVAILABLE, "the leader could not be reached, the request was not sent ("
          + notSent.getMessage() + "); retry", Reason.NOT_APPLIED);
    }
    if (!write) return new ClientFailure(GrpcStatus.UNAVAILABLE, "request failed: " + err.getMessage(), null);
    // A forwarded call that failed after its request may have reached the leader, or anything unforeseen.
    return outcomeUnknown(deadline, "the write failed before its outcome was known (" + err + ")");
  }

  private static ClientFailure ofProposal(ProposalFailedException failed) {
    return switch (failed.reason()) {
      case NOT_APPLIED -> new ClientFailure(GrpcStatus.UNAVAILABLE, failed.getMessage(), Reason.NOT_APPLIED);
      case TIMED_OUT -> new ClientFailure(GrpcStatus.DEADLINE_EXCEEDED, failed.getMessage(), Reason.OUTCOME_UNKNOWN);
      case STOPPED -> new ClientFailure(GrpcStatus.UNKNOWN, failed.getMessage(), Reason.OUTCOME_UNKNOWN);
    };
  }

  /**
   * A status raised on this node. For a write, UNAVAILABLE is the node refusing a proposal it never handed to the
   * core (it is stopping or has failed), so the write is in no log; DEADLINE_EXCEEDED always leaves a write open.
   */
  private static ClientFailure ofStatus(GrpcStatus status, String message, boolean write) {
    Reason reason = null;
    if (write && status == GrpcStatus.UNAVAILABLE) reason = Reason.NOT_APPLIED;
    if (write && status == GrpcStatus.DEADLINE_EXCEEDED) reason = Reason.OUTCOME_UNKNOWN;
    return new ClientFailure(status, message == null ? "" : message, reason);
  }

  /** The leader classified its own failure; only an UNAVAILABLE that says nothing about the write is distrusted. */
  private static ClientFailure ofRemote(ClientFailure remote, boolean write) {
    if (!write || remote.reason() != null) return remote;
    if (remote.status() == GrpcStatus.DEADLINE_EXCEEDED) {
      return new ClientFailure(remote.status(), remote.statusMessage(), Reason.OUTCOME_UNKNOWN, remote.leaderId(),
          remote.leaderAddress());
    }
    if (remote.status() == GrpcStatus.UNAVAILABLE) {
      return new ClientFailure(GrpcStatus.UNKNOWN, "the leader answered UNAVAILABLE without saying whether the write "
          + "applied (" + remote.statusMessage() + "); outcome unknown", Reason.OUTCOME_UNKNOWN);
    }
    return remote;
  }

  /** DEADLINE_EXCEEDED once the client's deadline has passed (the gRPC convention), else UNKNOWN. */
  static ClientFailure outcomeUnknown(CallDeadline deadline, String what) {
    return deadline.passed()
        ? new ClientFailure(GrpcStatus.DEADLINE_EXCEEDED, what + "; the deadline passed, outcome unknown", Reason.OUTCOME_UNKNOWN)
        : new ClientFailure(GrpcStatus.UNKNOWN, what + "; outcome unknown", Reason.OUTCOME_UNKNOWN);
  }

  /**
   * A not-leader failure that names no leader address gets the leader this node now knows of (fresher than the
   * hint the failure was raised with), so the client can go there.
   */
  static Future<ClientFailure> withLeaderHint(RaftNode node, ClientFailure failure) {
    if (failure.reason() != Reason.NOT_LEADER || !failure.leaderAddress().isEmpty()) return Future.succeededFuture(failure);
    return node.knownLeader().map(leader -> hint(failure, leader)).otherwise(failure);
  }

  private static ClientFailure hint(ClientFailure failure, KnownLeader leader) {
    if (leader.id() == 0) return failure;
    return failure.withLeader(leader.id(), leader.clientAddress() == null ? "" : leader.clientAddress().toString());
  }

  /** For a request refused before it was served. */
  static StatusException invalid(String message) {
    return new StatusException(GrpcStatus.INVALID_ARGUMENT, message);
  }
}
