package io.raftnode.internal.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A stretch of a log known by its ids alone: what a node needs of its stored log at startup, without the payloads.
 * {@code runStarts} holds the id of the first entry of each run of consecutive entries that one leader created, in
 * index order; the runs cover every index from the first run's start to {@code lastLogId}. Membership entries are
 * kept whole (they are few and decide who the members are). An empty outline has no runs and a null last id.
 */
public record LogOutline(List<LogId> runStarts, LogId lastLogId, List<Entry> membershipEntries) {
  public static final LogOutline EMPTY = new LogOutline(List.of(), null, List.of());

  public LogOutline {
    runStarts = List.copyOf(runStarts);
    membershipEntries = List.copyOf(membershipEntries);
    if (runStarts.isEmpty() != (lastLogId == null))
      throw new IllegalArgumentException("an outline has runs exactly when it has a last id");
    for (int i = 1; i < runStarts.size(); i++) {
      if (runStarts.get(i).index() <= runStarts.get(i - 1).index())
        throw new IllegalArgumentException("runs must start at ascending indexes: " + runStarts);
    }
    if (lastLogId != null && lastLogId.index() < runStarts.get(runStarts.size() - 1).index())
      throw new IllegalArgumentException("the last id " + lastLogId + " precedes the last run's start");
  }

  /** The first index covered (0 when empty). */
  public long firstIndex() {
    return runStarts.isEmpty() ? 0 : runStarts.get(0).index();
  }

  /** The outline of {@code entries}, which must be contiguous and in index order. */
  public static LogOutline of(List<Entry> entries) {
    Builder b = new Builder();
    for (Entry e : entries) b.add(e);
    return b.build();
  }

  /** Builds an outline from entries handed in one at a time, in index order without gaps. */
  public static final class Builder {
    private final List<LogId> runStarts = new ArrayList<>();
    private final List<Entry> membershipEntries = new ArrayList<>();
    private LogId last;

    public void add(Entry e) {
      add(e.logId(), e.payload() instanceof EntryPayload.MembershipChange ? e : null);
    }

    /** Adds the entry with {@code id}; {@code membershipEntry} is the entry itself when it changes the membership. */
    public void add(LogId id, Entry membershipEntry) {
      if (last != null && id.index() != last.index() + 1)
        throw new IllegalArgumentException("entry " + id + " does not follow " + last);
      if (last == null || !last.leaderId().equals(id.leaderId())) runStarts.add(id);
      if (membershipEntry != null) membershipEntries.add(membershipEntry);
      last = id;
    }

    public LogOutline build() {
      return new LogOutline(runStarts, last, membershipEntries);
    }
  }
}
