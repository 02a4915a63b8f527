package io.raftnode.internal.cli;

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
}
