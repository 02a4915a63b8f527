package io.raftnode.internal.kv;

/**
 * Bounds of the exactly-once table of {@link KvStateMachine} (docs/ARCHITECTURE.md, "Exactly-once writes"). Every
 * node of a cluster must use the same limits: what the table forgets decides how a retry is answered, and every
 * node must answer it alike.
 *
 * @param maxClients          clients remembered; past it the least recently written client is forgotten
 * @param maxAnswersPerClient answers kept per client; past it the client's lowest sequence is forgotten and a retry
 *                            of it is refused as stale. A client should keep fewer writes than this outstanding
 *                            (its highest sequence sent minus its {@code first_incomplete}, plus one)
 * @param maxAnswers          answers kept across all clients
 * @param maxAnswerBytes      bytes of encoded answers kept across all clients (a CompareAndSwap's answer holds a value)
 */
public record SessionLimits(int maxClients, int maxAnswersPerClient, int maxAnswers, long maxAnswerBytes) {
  /** As many calls as one KvSessionService stream may have in flight. */
  public static final int DEFAULT_MAX_ANSWERS_PER_CLIENT = 4096;
  public static final int DEFAULT_MAX_ANSWERS = 262_144;
  public static final long DEFAULT_MAX_ANSWER_BYTES = 32L << 20;

  public static final SessionLimits DEFAULT = new SessionLimits(KvStateMachine.DEFAULT_MAX_CLIENTS,
      DEFAULT_MAX_ANSWERS_PER_CLIENT, DEFAULT_MAX_ANSWERS, DEFAULT_MAX_ANSWER_BYTES);

  public SessionLimits {
    if (maxClients < 1) throw new IllegalArgumentException("maxClients must be >= 1: " + maxClients);
    if (maxAnswersPerClient < 1) {
      throw new IllegalArgumentException("maxAnswersPerClient must be >= 1: " + maxAnswersPerClient);
    }
    if (maxAnswers < maxAnswersPerClient) {
      throw new IllegalArgumentException("maxAnswers (" + maxAnswers + ") must be >= maxAnswersPerClient ("
          + maxAnswersPerClient + ")");
    }
    if (maxAnswerBytes < 1) throw new IllegalArgumentException("maxAnswerBytes must be >= 1: " + maxAnswerBytes);
  }

  /** The default limits with another number of clients. */
  public static SessionLimits withMaxClients(int maxClients) {
    return new SessionLimits(maxClients, DEFAULT_MAX_ANSWERS_PER_CLIENT, DEFAULT_MAX_ANSWERS, DEFAULT_MAX_ANSWER_BYTES);
  }
}
