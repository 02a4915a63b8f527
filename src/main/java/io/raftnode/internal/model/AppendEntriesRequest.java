package io.raftnode.internal.model;

import java.util.List;

/**
 * AppendEntries: {@code vote} is the leader's committed vote ({@code vote.leaderId().nodeId()} is the leader),
 * {@code prevLogId} the entry just before {@code entries} (null = before the first entry), {@code leaderCommit}
 * the leader's commit point (null = nothing committed).
 */
public record AppendEntriesRequest(Vote vote, LogId prevLogId, List<Entry> entries, LogId leaderCommit) {
  public AppendEntriesRequest {
    if (vote == null) throw new IllegalArgumentException("vote must not be null");
    entries = entries == null ? List.of() : List.copyOf(entries);
  }

  public long leaderNodeId() {
    return vote.leaderId().nodeId();
  }

  /** The id of the last entry this request makes the follower hold: the last entry, or prevLogId when empty. */
  public LogId lastLogId() {
    return entries.isEmpty() ? prevLogId : entries.get(entries.size() - 1).logId();
  }
}
