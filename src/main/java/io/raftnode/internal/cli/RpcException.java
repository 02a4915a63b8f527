package io.raftnode.internal.cli;

import io.raftnode.internal.service.ClientFailure;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Locale;

/** A failed call, as a gRPC status name (UNAVAILABLE, DEADLINE_EXCEEDED, ...) and the server's or our message. */
final class RpcException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String status;

  RpcException(String status, String message) {
    super(message);
    this.status = status;
  }

  String status() {
    return status;
  }

  /** The line the CLI prints to stderr. */
  String describe() {
    String message = getMessage();
    return "error: " + status + (message == null || message.isEmpty() ? "" : ": " + message);
  }

  /**
   * The line for a failed write, which also says whether it was applied (README, "Errors"): "(not applied)" for the
   * statuses that promise so, "(outcome unknown)" for every other failure.
   */
  String describeWrite() {
    boolean notApplied = ClientFailure.certainlyNotApplied(grpcStatus());
    String outcome = notApplied ? "not applied" : "outcome unknown";
    String line = describe();
    return line.toLowerCase(Locale.ROOT).contains(outcome) ? line : line + " (" + outcome + ")";
  }

  private GrpcStatus grpcStatus() {
    try {
      return GrpcStatus.valueOf(status);
    } catch (IllegalArgumentException e) {
      return GrpcStatus.UNKNOWN;
    }
  }
}
