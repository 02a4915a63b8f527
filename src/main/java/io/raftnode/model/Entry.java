package io.raftnode.model;

/** One log entry. */
public record Entry(LogId logId, EntryPayload payload) {
  public Entry {
    if (logId == null || payload == null) throw new IllegalArgumentException("logId and payload must not be null");
  }

  public long index() {
    return logId.index();
  }

  public long term() {
    return logId.term();
  }
}
