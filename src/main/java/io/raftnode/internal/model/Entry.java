package io.raftnode.internal.model;

import java.util.Objects;

/**
 * One log entry: its LogId and payload, compared by both.
 *
 * <p>It also carries its msgpack form once that is known, so that an entry is encoded once however many times it
 * is written: to the log and to each follower on the leader; on a follower, the bytes it arrived in are the ones it
 * stores. The form is derived from the two fields (or decodes to exactly them), so it plays no part in equality.
 */
public final class Entry {
  private final LogId logId;
  private final EntryPayload payload;
  /** The msgpack encoding of this entry, or null until someone needs it; never modified once set. */
  private volatile byte[] encoding;

  public Entry(LogId logId, EntryPayload payload) {
    if (logId == null || payload == null) throw new IllegalArgumentException("logId and payload must not be null");
    this.logId = logId;
    this.payload = payload;
  }

  public LogId logId() {
    return logId;
  }

  public EntryPayload payload() {
    return payload;
  }

  public long index() {
    return logId.index();
  }

  public long term() {
    return logId.term();
  }

  /** This entry's msgpack form if it is already known, else null. Callers must not modify the array. */
  public byte[] knownEncoding() {
    return encoding;
  }

  /**
   * Records this entry's msgpack form: bytes that the codec produced from it, or that it decoded it from. Two
   * threads may both compute it; either result is right.
   */
  public void rememberEncoding(byte[] bytes) {
    encoding = bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e && logId.equals(e.logId) && payload.equals(e.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(logId, payload);
  }

  @Override
  public String toString() {
    return "Entry[logId=" + logId + ", payload=" + payload + "]";
  }
}
