package io.raftnode.client;

/** The names of the response trailers in which a node details a failure (README, "Errors"). */
final class Trailers {
  static final String REASON = "raftnode-error";
  static final String LEADER_ID = "raftnode-leader-id";
  static final String LEADER_ADDRESS = "raftnode-leader-address";
  /** Sent with RESOURCE_EXHAUSTED by a node over its flow-control bound: when to try again. */
  static final String RETRY_AFTER_MS = "raftnode-retry-after-ms";

  private Trailers() {}

  /** A decimal trailer's value; 0 when absent or garbled (a garbled hint is no hint). */
  static long number(String text) {
    if (text == null) return 0;
    try {
      return Long.parseUnsignedLong(text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
