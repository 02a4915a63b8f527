package io.raftnode.internal.model;

/**
 * The follower's answer to one AppendEntriesRequest on a StreamAppend stream, mirroring openraft's
 * {@code Result<Option<LogId>, StreamAppendError>}. Exactly one per request, in request order, sent only after the
 * request's entries are durable. After an error the follower ends the stream.
 *
 * <ul>
 *   <li>{@link Ok}: the follower's log matches the leader's up to {@code last}: the request's last entry id, or its
 *       prevLogId when it carried no entries (null = the empty log).</li>
 *   <li>{@link Conflict}: the follower does not hold the request's prevLogId; {@code hint} is its last entry that
 *       may still match (as in {@link AppendEntriesResponse.Conflict}), index 0 when nothing does.</li>
 *   <li>{@link HigherVote}: the follower has seen a newer vote; the sender is no longer leader.</li>
 * </ul>
 */
public sealed interface StreamAppendResult {
  record Ok(LogId last) implements StreamAppendResult {}

  record Conflict(LogId hint) implements StreamAppendResult {
    public Conflict {
      if (hint == null) throw new IllegalArgumentException("hint must not be null");
    }
  }

  record HigherVote(Vote vote) implements StreamAppendResult {
    public HigherVote {
      if (vote == null) throw new IllegalArgumentException("vote must not be null");
    }
  }
}
