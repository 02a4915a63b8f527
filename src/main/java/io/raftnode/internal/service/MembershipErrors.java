package io.raftnode.internal.service;

import io.raftnode.MembershipChangeException;
import io.raftnode.NotLeaderException;
import io.raftnode.internal.service.ClientFailure.Reason;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.internal.transport.RequestNotSentException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * The statuses of a failed membership change (AddLearner, ChangeMembership, RemoveMember). Nothing changed for
 * UNAVAILABLE (no leader, or it could not be reached), INVALID_ARGUMENT (no membership makes the request valid)
 * and FAILED_PRECONDITION (a rule refused it now: the message says which). UNKNOWN (DEADLINE_EXCEEDED once the
 * client's deadline passed) means the change may still complete, with the detail {@code outcome-unknown}.
 */
final class MembershipErrors {
  private MembershipErrors() {}

  /** A NOT_LEADER refusal becomes the NotLeaderException that makes the router forward or retry the call. */
  static Throwable forRouting(Throwable err) {
    if (err instanceof MembershipChangeException m && m.failure() == MembershipChangeException.Failure.NOT_LEADER) {
      return new NotLeaderException(m.leaderHint());
    }
    return err;
  }

  /** The failure the client gets. */
  static Throwable toStatus(Throwable err, CallDeadline deadline) {
    if (err instanceof MembershipChangeException m) {
      return switch (m.failure()) {
        case INVALID -> new StatusException(GrpcStatus.INVALID_ARGUMENT, m.getMessage());
        case REFUSED -> new StatusException(GrpcStatus.FAILED_PRECONDITION, m.getMessage());
        case OUTCOME_UNKNOWN -> ClientErrors.outcomeUnknown(deadline, m.getMessage());
        case NOT_LEADER -> ClientErrors.classifyRead(new NotLeaderException(m.leaderHint()));
      };
    }
    if (err instanceof RemoteCallException remote) {
      // The leader answered: for a change, UNKNOWN and DEADLINE_EXCEEDED both leave its outcome open.
      if (remote.status() == GrpcStatus.UNKNOWN || remote.status() == GrpcStatus.DEADLINE_EXCEEDED) {
        return ClientErrors.outcomeUnknown(deadline, remote.statusMessage());
      }
      return ClientFailure.of(remote);
    }
    if (err instanceof StatusException || err instanceof NotLeaderException || err instanceof ClientFailure
        || err instanceof RequestNotSentException) {
      return ClientErrors.classifyRead(err); // nothing was sent, or this node refused before asking the core
    }
    // A forwarded call that failed after its request may have reached the leader.
    return new ClientFailure(GrpcStatus.UNKNOWN, "the call to the leader failed before its answer came (" + err
        + "); the change may still complete: read the membership (Status) to find out", Reason.OUTCOME_UNKNOWN);
  }
}
