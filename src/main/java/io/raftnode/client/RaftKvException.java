package io.raftnode.client;

/**
 * A call that failed for good: the client retried it as far as that was safe and its deadline allowed. Carries the
 * gRPC status the last attempt ended with, the node's reason word ({@code raftnode-error}), the leader the node named
 * (README, "Errors") and, for a write, whether it may have applied.
 *
 * <p>{@link #mayHaveApplied()} is the one thing a caller must look at after a failed write: false means it did not
 * apply and never will (send it again if you like); true means it may have applied, or may still apply (read the key
 * to find out). The client decides this over every attempt: a write one attempt left in doubt stays in doubt even if
 * a later attempt was refused.
 */
public final class RaftKvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The node's reason for a failure, from the {@code raftnode-error} trailer or a session's CallError. */
  public enum Reason {
    /** The node called is not the leader and could not reach one: nothing was applied. */
    NOT_LEADER("not-leader"),
    /** The write never entered a log, or lost its log slot: nothing was applied. */
    NOT_APPLIED("not-applied"),
    /** The write may or may not apply. */
    OUTCOME_UNKNOWN("outcome-unknown"),
    /** The request id's sequence is below what the node keeps answers for: this copy changed nothing. */
    STALE_SEQUENCE("stale-sequence"),
    /** None given: the status says all there is (or the word is one this client does not know). */
    NONE("");

    private final String word;

    Reason(String word) {
      this.word = word;
    }

    /** {@return the word as it travels on the wire (empty for {@link #NONE})} */
    public String word() {
      return word;
    }

    /**
     * The reason a word names.
     *
     * @param word the word from the node's trailers
     * @return the reason; {@link #NONE} for null, empty or unknown words
     */
    public static Reason ofWord(String word) {
      if (word == null || word.isEmpty()) return NONE;
      for (Reason r : values()) {
        if (r.word.equals(word)) return r;
      }
      return NONE;
    }
  }

  /** The gRPC status name. */
  private final String status;
  /** The gRPC status code. */
  private final int code;
  /** The node's reason. */
  private final Reason reason;
  /** The leader the node named, 0 for none. */
  private final long leaderId;
  /** The leader's client address, empty for none. */
  private final String leaderAddress;
  /** For a write: whether it may have applied. */
  private final boolean mayHaveApplied;
  /** How many times the call was sent. */
  private final int attempts;

  /**
   * A failed call, as the client reports it.
   *
   * @param status         the gRPC status name (UNAVAILABLE, DEADLINE_EXCEEDED, ...)
   * @param code           its number
   * @param message        what went wrong
   * @param reason         the node's reason, {@link Reason#NONE} for none
   * @param leaderId       the leader the node named, 0 for none
   * @param leaderAddress  its client address (host:port), empty for none
   * @param mayHaveApplied for a write: whether it may have applied; false for reads
   * @param attempts       how many times the call was sent
   */
  public RaftKvException(String status, int code, String message, Reason reason, long leaderId, String leaderAddress,
      boolean mayHaveApplied, int attempts) {
    super(status + ": " + message + (mayHaveApplied ? " (outcome unknown)" : ""));
    this.status = status;
    this.code = code;
    this.reason = reason == null ? Reason.NONE : reason;
    this.leaderId = leaderId;
    this.leaderAddress = leaderAddress == null ? "" : leaderAddress;
    this.mayHaveApplied = mayHaveApplied;
    this.attempts = attempts;
  }

  /** {@return the gRPC status name of the last attempt's failure, e.g. {@code "UNAVAILABLE"}} */
  public String status() {
    return status;
  }

  /** {@return the gRPC status code (UNAVAILABLE = 14, DEADLINE_EXCEEDED = 4, ...)} */
  public int code() {
    return code;
  }

  /** {@return the node's reason word, {@link Reason#NONE} when it gave none} */
  public Reason reason() {
    return reason;
  }

  /** {@return the id of the leader the node named, 0 when it named none} */
  public long leaderId() {
    return leaderId;
  }

  /** {@return the client address (host:port) of the leader the node named, empty when it named none} */
  public String leaderAddress() {
    return leaderAddress;
  }

  /**
   * {@return for a write: true when it may have applied or may still apply; false when it certainly did not; false
   * for reads}
   */
  public boolean mayHaveApplied() {
    return mayHaveApplied;
  }

  /** {@return how many times the client sent the call before giving up (0 when it never could)} */
  public int attempts() {
    return attempts;
  }
}
