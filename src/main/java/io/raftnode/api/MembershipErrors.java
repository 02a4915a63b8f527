package io.raftnode.api;

import io.raftnode.node.MembershipChangeException;
import io.raftnode.node.NotLeaderException;
import io.raftnode.transport.RemoteCallException;
import io.raftnode.transport.StatusWithTrailers;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.net.ConnectException;
import java.util.Map;

/**
 * The statuses of a failed membership change (AddLearner, ChangeMembership, RemoveMember). Nothing changed for
 * UNAVAILABLE (no leader, or it could not be reached), INVALID_ARGUMENT (no membership makes the request valid)
 * and FAILED_PRECONDITION (a rule refused it now: the message says which). UNKNOWN means the change may still
 * complete, and says so machine-readably with the trailer {@value #REASON}: {@value #OUTCOME_UNKNOWN}.
 */
final class MembershipErrors {
  static final String REASON = "raftnode-error";
  static final String OUTCOME_UNKNOWN = "outcome-unknown";

  private MembershipErrors() {}

  /** A NOT_LEADER refusal becomes the NotLeaderException that makes the router forward or retry the call. */
  static Throwable forRouting(Throwable err) {
    if (err instanceof MembershipChangeException m && m.failure() == io.raftnode.core.Action.MembershipFailure.NOT_LEADER) {
      return new NotLeaderException(m.leaderHint());
    }
    return err;
  }

  /** The failure the client gets. */
  static Throwable toStatus(Throwable err) {
    if (err instanceof MembershipChangeException m) {
      return switch (m.failure()) {
        case INVALID -> new StatusException(GrpcStatus.INVALID_ARGUMENT, m.getMessage());
        case REFUSED -> new StatusException(GrpcStatus.FAILED_PRECONDITION, m.getMessage());
        case OUTCOME_UNKNOWN -> outcomeUnknown(m.getMessage());
        case NOT_LEADER -> ClientErrors.toStatus(new NotLeaderException(m.leaderHint()));
      };
    }
    if (err instanceof RemoteCallException remote) {
      // The leader answered: for a change, UNKNOWN and DEADLINE_EXCEEDED both leave its outcome open.
      if (remote.status() == GrpcStatus.UNKNOWN || remote.status() == GrpcStatus.DEADLINE_EXCEEDED) {
        return outcomeUnknown(remote.statusMessage());
      }
      return new StatusException(remote.status(), remote.statusMessage());
    }
    if (err instanceof StatusException || err instanceof NotLeaderException || isConnectFailure(err)) {
      return ClientErrors.toStatus(err); // nothing was sent, or this node refused before asking the core
    }
    // A forwarded call that failed after its request may have reached the leader.
    return outcomeUnknown("the call to the leader failed before its answer came (" + err + "); the change may"
        + " still complete: read the membership (Status) to find out");
  }

  private static boolean isConnectFailure(Throwable err) {
    return err instanceof ConnectException || err.getCause() instanceof ConnectException;
  }

  private static StatusWithTrailers outcomeUnknown(String message) {
    return new StatusWithTrailers(GrpcStatus.UNKNOWN, message, Map.of(REASON, OUTCOME_UNKNOWN));
  }
}
