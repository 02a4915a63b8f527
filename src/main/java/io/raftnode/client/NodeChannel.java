package io.raftnode.client;

import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.vertx.core.Future;

/** The way calls reach one node: a session stream or unary calls. Used on the client's context only. */
interface NodeChannel {
  /**
   * Sends one call. The answer comes as a {@link SessionAnswer} holding the call's response (a call the node refused
   * with a status fails the future); any failure is a {@link CallFailure}.
   *
   * @param timeoutMs what is left of the call's deadline, which the node gets with the call (a unary call's
   *                  grpc-timeout, a session call's timeout_ms)
   */
  Future<SessionAnswer> send(SessionCall.Builder call, long timeoutMs);

  /** False once the channel broke: a new one must be made for the node. */
  boolean usable();

  /** Ends the channel; calls still waiting fail. */
  void close();
}
