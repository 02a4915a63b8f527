package io.raftnode.transport;

import io.vertx.grpc.common.GrpcStatus;

/** A gRPC call that ended with a non-OK status; carries the status and the server's message. */
public final class RemoteCallException extends RuntimeException {
  private final GrpcStatus status;

  public RemoteCallException(GrpcStatus status, String message) {
    super(status + (message == null || message.isEmpty() ? "" : ": " + message), null, false, false);
    this.status = status;
  }

  public GrpcStatus status() {
    return status;
  }

  /** The server's status message without the status prefix. */
  public String statusMessage() {
    String text = getMessage();
    int colon = text.indexOf(": ");
    return colon < 0 ? "" : text.substring(colon + 2);
  }
}
