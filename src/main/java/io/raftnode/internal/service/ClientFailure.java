package io.raftnode.internal.service;

import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.CallError;
import io.vertx.core.MultiMap;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.Set;

/**
 * A failed client call as the client sees it: the gRPC status and message, and the machine-readable detail that
 * travels beside them, as response trailers of a unary call and as the fields of a session's {@code CallError}:
 *
 * <ul>
 *   <li>{@value #REASON}: a {@link Reason} word, saying whether a write was applied;</li>
 *   <li>{@value #LEADER_ID} (decimal) and {@value #LEADER_ADDRESS} (the leader's client address, host:port): the
 *       leader the answering node knows of, when it knows one;</li>
 *   <li>{@value #RETRY_AFTER_MS} (decimal milliseconds): with RESOURCE_EXHAUSTED from the leader's flow control,
 *       how long the client should wait before it retries.</li>
 * </ul>
 *
 * README ("Errors") lists every status with what it means for a write.
 */
public final class ClientFailure extends RuntimeException {
  public static final String REASON = "raftnode-error";
  public static final String LEADER_ID = "raftnode-leader-id";
  public static final String LEADER_ADDRESS = "raftnode-leader-address";
  public static final String RETRY_AFTER_MS = "raftnode-retry-after-ms";

  /** The statuses that say a write was certainly not applied; any other failure may have applied it. */
  private static final Set<GrpcStatus> NOT_APPLIED = Set.of(GrpcStatus.UNAVAILABLE, GrpcStatus.FAILED_PRECONDITION,
      GrpcStatus.INVALID_ARGUMENT, GrpcStatus.RESOURCE_EXHAUSTED);

  /** Why a call failed, as far as a client must act on it; {@link #word()} is what travels. */
  public enum Reason {
    /** UNAVAILABLE: the node called is not the leader and could not reach one; nothing was applied. */
    NOT_LEADER("not-leader"),
    /** UNAVAILABLE: the write never entered a log, or lost its log slot to another leader's entry. */
    NOT_APPLIED("not-applied"),
    /** DEADLINE_EXCEEDED or UNKNOWN: the write may or may not apply. */
    OUTCOME_UNKNOWN("outcome-unknown"),
    /** FAILED_PRECONDITION: the request id's sequence is below the last one applied for the client. */
    STALE_SEQUENCE("stale-sequence");

    private final String word;

    Reason(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    /** The reason a word names, or null for a missing or unknown word (a newer node may send more). */
    public static Reason ofWord(String word) {
      for (Reason r : values()) {
        if (r.word.equals(word)) return r;
      }
      return null;
    }
  }

  private final GrpcStatus status;
  private final String statusMessage;
  private final Reason reason;
  private final long leaderId;
  private final String leaderAddress;
  private final long retryAfterMs;

  public ClientFailure(GrpcStatus status, String statusMessage, Reason reason) {
    this(status, statusMessage, reason, 0, "");
  }

  public ClientFailure(GrpcStatus status, String statusMessage, Reason reason, long leaderId, String leaderAddress) {
    this(status, statusMessage, reason, leaderId, leaderAddress, 0);
  }

  /** @param retryAfterMs how long to wait before retrying (flow control); 0 = no hint */
  public ClientFailure(GrpcStatus status, String statusMessage, Reason reason, long leaderId, String leaderAddress,
      long retryAfterMs) {
    super(status + ": " + statusMessage, null, false, false);
    this.retryAfterMs = Math.max(0, retryAfterMs);
    this.status = status;
    this.statusMessage = statusMessage == null ? "" : statusMessage;
    this.reason = reason;
    this.leaderId = leaderId;
    this.leaderAddress = leaderAddress == null ? "" : leaderAddress;
  }

  /** What a remote node answered, with the detail it sent in its trailers. */
  static ClientFailure of(RemoteCallException remote) {
    return new ClientFailure(remote.status(), remote.statusMessage(), Reason.ofWord(remote.metadata(REASON)),
        unsignedOrZero(remote.metadata(LEADER_ID)), remote.metadata(LEADER_ADDRESS),
        unsignedOrZero(remote.metadata(RETRY_AFTER_MS)));
  }

  private static long unsignedOrZero(String decimal) {
    try {
      long value = decimal == null ? 0 : Long.parseUnsignedLong(decimal);
      return Math.max(0, value);
    } catch (NumberFormatException e) {
      return 0; // a garbled hint is no hint
    }
  }

  /** README's rule for clients: a write that failed with {@code status} was certainly not applied. */
  public static boolean certainlyNotApplied(GrpcStatus status) {
    return NOT_APPLIED.contains(status);
  }

  public GrpcStatus status() {
    return status;
  }

  public String statusMessage() {
    return statusMessage;
  }

  /** The reason, or null when the status says all there is. */
  public Reason reason() {
    return reason;
  }

  /** The leader's id, 0 when not known. */
  public long leaderId() {
    return leaderId;
  }

  /** The leader's client address (host:port), empty when not known. */
  public String leaderAddress() {
    return leaderAddress;
  }

  /** How long the client should wait before it retries (flow control), 0 when there is no hint. */
  public long retryAfterMs() {
    return retryAfterMs;
  }

  ClientFailure withLeader(long id, String address) {
    return new ClientFailure(status, statusMessage, reason, id, address, retryAfterMs);
  }

  /** Puts the detail into a unary response's trailers, replacing (or removing) what they held. */
  void writeTo(MultiMap trailers) {
    set(trailers, REASON, reason == null ? null : reason.word());
    set(trailers, LEADER_ID, leaderId == 0 ? null : Long.toUnsignedString(leaderId));
    set(trailers, LEADER_ADDRESS, leaderAddress.isEmpty() ? null : leaderAddress);
    set(trailers, RETRY_AFTER_MS, retryAfterMs == 0 ? null : Long.toString(retryAfterMs));
  }

  private static void set(MultiMap trailers, String name, String value) {
    if (value == null) trailers.remove(name);
    else trailers.set(name, value);
  }

  CallError toCallError() {
    return CallError.newBuilder().setCode(status.code).setMessage(statusMessage)
        .setReason(reason == null ? "" : reason.word()).setLeaderId(leaderId).setLeaderAddress(leaderAddress)
        .setRetryAfterMs(retryAfterMs).build();
  }

  StatusException toStatusException() {
    return new StatusException(status, statusMessage);
  }
}
