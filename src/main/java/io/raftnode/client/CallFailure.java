package io.raftnode.client;

import io.raftnode.client.RaftKvException.Reason;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Set;

/**
 * Why one attempt of a call failed, and what that says about the call: whether it may have applied (for a write) and
 * whether sending it again is safe. README's "Errors" is the rule book: a node's status of UNAVAILABLE,
 * FAILED_PRECONDITION, INVALID_ARGUMENT or RESOURCE_EXHAUSTED means "not applied"; a request that never left (no
 * connection) or that the node never read did nothing; anything else may have applied.
 */
final class CallFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final Set<GrpcStatus> NOT_APPLIED = Set.of(GrpcStatus.UNAVAILABLE, GrpcStatus.FAILED_PRECONDITION,
      GrpcStatus.INVALID_ARGUMENT, GrpcStatus.RESOURCE_EXHAUSTED);

  /** How far the attempt got. */
  enum Delivery {
    /** It never reached the node, or the node never read it (no connection, a refused stream, UNIMPLEMENTED). */
    NOT_SENT,
    /** The node answered it with a status. */
    ANSWERED,
    /** The connection or stream broke after it was sent, or no answer came in time: the node may have served it. */
    LOST
  }

  final Delivery delivery;
  final GrpcStatus status;
  final Reason reason;
  final long leaderId;
  final String leaderAddress;
  /** From {@code raftnode-retry-after-ms}: how long a node that is over its flow-control bound asks us to wait; 0 = none. */
  final long retryAfterMs;
  /** The node serves no KvSessionService: call it over unary KvService instead. */
  final boolean sessionsNotServed;

  CallFailure(Delivery delivery, GrpcStatus status, String message, Reason reason, long leaderId, String leaderAddress,
      long retryAfterMs, boolean sessionsNotServed) {
    super(message, null, false, false);
    this.delivery = delivery;
    this.status = status;
    this.reason = reason == null ? Reason.NONE : reason;
    this.leaderId = leaderId;
    this.leaderAddress = leaderAddress == null ? "" : leaderAddress;
    this.retryAfterMs = retryAfterMs;
    this.sessionsNotServed = sessionsNotServed;
  }

  static CallFailure notSent(String message) {
    return new CallFailure(Delivery.NOT_SENT, GrpcStatus.UNAVAILABLE, message, Reason.NONE, 0, "", 0, false);
  }

  static CallFailure lost(String message) {
    return new CallFailure(Delivery.LOST, GrpcStatus.UNKNOWN, message, Reason.OUTCOME_UNKNOWN, 0, "", 0, false);
  }

  static CallFailure answered(GrpcStatus status, String message, Reason reason, long leaderId, String leaderAddress,
      long retryAfterMs) {
    return new CallFailure(Delivery.ANSWERED, status, message, reason, leaderId, leaderAddress, retryAfterMs, false);
  }

  static CallFailure sessionsNotServed(String message) {
    return new CallFailure(Delivery.NOT_SENT, GrpcStatus.UNIMPLEMENTED, message, Reason.NONE, 0, "", 0, true);
  }

  /** Whether this attempt, as a write, may have applied (or may still apply). */
  boolean mayHaveApplied() {
    if (delivery == Delivery.NOT_SENT) return false;
    if (delivery == Delivery.LOST) return true;
    if (reason == Reason.OUTCOME_UNKNOWN) return true;
    // UNIMPLEMENTED answers a method the node does not serve: it read nothing.
    return !NOT_APPLIED.contains(status) && status != GrpcStatus.UNIMPLEMENTED;
  }

  /**
   * Whether sending the call again (a write with the same request id, which the node applies at most once) can
   * succeed where this attempt did not: the node was not the leader, could not take the write now, or the attempt's
   * outcome is unknown. A refusal of the request itself (bad argument, stale sequence, ...) is final.
   */
  boolean worthRetrying() {
    if (delivery != Delivery.ANSWERED || sessionsNotServed) return true;
    if (reason == Reason.NOT_LEADER || reason == Reason.NOT_APPLIED || reason == Reason.OUTCOME_UNKNOWN) {
      return status != GrpcStatus.RESOURCE_EXHAUSTED || retryAfterMs > 0;
    }
    return switch (status) {
      case UNAVAILABLE, UNKNOWN, DEADLINE_EXCEEDED -> true;
      case RESOURCE_EXHAUSTED -> retryAfterMs > 0; // over the node's flow-control bound; else too large a message
      default -> false;
    };
  }

  /** Whether the node names a leader to go to. */
  boolean hasLeaderHint() {
    return !leaderAddress.isEmpty();
  }
}
