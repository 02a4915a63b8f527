package io.raftnode.internal.model;

/** The id of a log entry: the leader that created it and its index. Indexes start at 1. */
public record LogId(LeaderId leaderId, long index) {
  public LogId {
    if (leaderId == null) throw new IllegalArgumentException("leaderId must not be null");
    if (index < 0) throw new IllegalArgumentException("index must be >= 0: " + index);
  }

  public static LogId of(long term, long nodeId, long index) {
    return new LogId(new LeaderId(term, nodeId), index);
  }

  public long term() {
    return leaderId.term();
  }

  /** Index of a possibly absent log id; null stands for "before the first entry", index 0. */
  public static long indexOf(LogId id) {
    return id == null ? 0 : id.index();
  }

  /** Term of a possibly absent log id; null has term 0. */
  public static long termOf(LogId id) {
    return id == null ? 0 : id.term();
  }

  @Override
  public String toString() {
    return leaderId + "-" + index;
  }
}
