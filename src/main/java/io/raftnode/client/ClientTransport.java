package io.raftnode.client;

/** How a {@link RaftKvClient} carries its calls to a node. */
public enum ClientTransport {
  /**
   * Many calls multiplexed on one KvSessionService stream per node, the calls issued together in one message. A node
   * that does not serve sessions (it answers UNIMPLEMENTED) is called over {@link #UNARY} instead.
   */
  SESSION,
  /** One KvService call (one HTTP/2 stream) per call. */
  UNARY
}
