package io.raftnode.internal.transport;

/**
 * A call whose request never left this node: the connection to the server could not be made (refused, no route,
 * TLS handshake failed). Whatever the call would have done, it did not happen. The cause is the transport's error.
 */
public final class RequestNotSentException extends RuntimeException {

  public RequestNotSentException(String target, Throwable cause) {
    super("could not reach " + target + ": " + (cause == null ? "no connection" : cause.getMessage()), cause, false, false);
  }
}
