package io.raftnode.internal.model;

/**
 * The answer to an AppendEntriesRequest, mirroring openraft's enum.
 *
 * <ul>
 *   <li>{@link Success}: the follower's log now matches the leader's up to the request's last entry.</li>
 *   <li>{@link PartialSuccess}: it matches up to {@code matching} only (the follower accepted part of the entries).</li>
 *   <li>{@link Conflict}: the follower does not hold {@code prevLogId}. {@code hint}, when present, is the id of
 *       the follower's last entry that may still match (at or below prevLogId's index, term at most
 *       prevLogId's term), so the leader backs up by a whole term per round trip; null means "no hint".</li>
 *   <li>{@link HigherVote}: the follower has seen a newer vote; the sender is no longer leader.</li>
 * </ul>
 */
public sealed interface AppendEntriesResponse {
  record Success() implements AppendEntriesResponse {
    public static final Success INSTANCE = new Success();
  }

  record PartialSuccess(LogId matching) implements AppendEntriesResponse {}

  record Conflict(LogId hint) implements AppendEntriesResponse {}

  record HigherVote(Vote vote) implements AppendEntriesResponse {
    public HigherVote {
      if (vote == null) throw new IllegalArgumentException("vote must not be null");
    }
  }
}
