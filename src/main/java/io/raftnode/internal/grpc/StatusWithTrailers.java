package io.raftnode.internal.grpc;

import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;

/**
 * A failure that ends a unary call ({@link UnaryCalls}) with a status and message and with response trailers
 * that say machine-readably what happened, for callers that must act on more than the status (a client that must
 * know a change's outcome is unknown, a candidate that must know it was removed from the cluster).
 */
public final class StatusWithTrailers extends RuntimeException {
  private final GrpcStatus status;
  private final String statusMessage;
  private final Map<String, String> trailers;

  public StatusWithTrailers(GrpcStatus status, String statusMessage, Map<String, String> trailers) {
    super(status + ": " + statusMessage, null, false, false);
    this.status = status;
    this.statusMessage = statusMessage;
    this.trailers = Map.copyOf(trailers);
  }

  public GrpcStatus status() {
    return status;
  }

  public String statusMessage() {
    return statusMessage;
  }

  public Map<String, String> trailers() {
    return trailers;
  }
}
