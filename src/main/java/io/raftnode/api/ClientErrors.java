package io.raftnode.api;

import io.raftnode.node.NotLeaderException;
import io.raftnode.node.ProposalFailedException;
import io.raftnode.node.TransferFailedException;
import io.raftnode.transport.RemoteCallException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * Maps failures to the client API's gRPC statuses: UNAVAILABLE when there is no leader or the write is known not
 * to have applied, DEADLINE_EXCEEDED when it may still apply (outcome unknown), ABORTED when a leadership transfer
 * did not happen, the leader's own status when a forwarded call failed there.
 */
final class ClientErrors {
  private ClientErrors() {}

  static StatusException toStatus(Throwable err) {
    if (err instanceof StatusException status) return status;
    if (err instanceof RemoteCallException remote) return new StatusException(remote.status(), remote.statusMessage());
    if (err instanceof NotLeaderException notLeader) {
      return new StatusException(GrpcStatus.UNAVAILABLE, "no leader is available (" + notLeader.getMessage()
          + "); the request was not carried out; retry");
    }
    if (err instanceof TransferFailedException failed) {
      return new StatusException(GrpcStatus.ABORTED, "leadership transfer failed: " + failed.getMessage());
    }
    if (err instanceof ProposalFailedException failed) {
      GrpcStatus status = failed.reason() == ProposalFailedException.Reason.TIMED_OUT
          ? GrpcStatus.DEADLINE_EXCEEDED : GrpcStatus.UNAVAILABLE;
      return new StatusException(status, failed.getMessage());
    }
    return new StatusException(GrpcStatus.UNAVAILABLE, "request failed: " + err.getMessage());
  }

  static StatusException invalid(String message) {
    return new StatusException(GrpcStatus.INVALID_ARGUMENT, message);
  }
}
