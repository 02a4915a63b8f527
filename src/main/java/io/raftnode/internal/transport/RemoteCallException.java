package io.raftnode.internal.transport;

import io.vertx.core.MultiMap;
import io.vertx.grpc.common.GrpcStatus;

/**
 * A gRPC call that ended with a non-OK status; carries the status, the server's message and the metadata the
 * server sent with it (response headers and trailers, which a trailers-only error response puts in the headers).
 */
public final class RemoteCallException extends RuntimeException {
  private final GrpcStatus status;
  private final MultiMap metadata;

  public RemoteCallException(GrpcStatus status, String message) {
    this(status, message, MultiMap.caseInsensitiveMultiMap());
  }

  public RemoteCallException(GrpcStatus status, String message, MultiMap metadata) {
    super(status + (message == null || message.isEmpty() ? "" : ": " + message), null, false, false);
    this.status = status;
    this.metadata = metadata;
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

  /** The value the server sent for metadata key {@code name} (trailer or header), or null. */
  public String metadata(String name) {
    return metadata.get(name);
  }
}
