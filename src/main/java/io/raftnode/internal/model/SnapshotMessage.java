package io.raftnode.internal.model;

/**
 * One message of a Snapshot stream (leader to follower, client streaming): first {@link Meta}, then {@link Chunk}s
 * whose offsets cover {@code 0..size} in order without gaps, then {@link Done} with the checksum of all the bytes.
 */
public sealed interface SnapshotMessage {

  /** Opens the stream: the leader's vote (checked like AppendEntries), what the snapshot covers, its byte size. */
  record Meta(Vote vote, SnapshotMeta meta, long size) implements SnapshotMessage {
    public Meta {
      if (vote == null || meta == null) throw new IllegalArgumentException("vote and meta must not be null");
      if (size < 0) throw new IllegalArgumentException("size must be >= 0: " + size);
    }
  }

  /** The bytes at {@code offset} of the snapshot data. */
  record Chunk(long offset, byte[] data) implements SnapshotMessage {
    public Chunk {
      if (data == null) throw new IllegalArgumentException("data must not be null");
      if (offset < 0) throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Chunk c && offset == c.offset && java.util.Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(offset) * 31 + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Chunk(offset=" + offset + ", " + data.length + " bytes)";
    }
  }

  /** Ends the stream: CRC32C (Castagnoli) of the whole snapshot data, as an unsigned 32-bit value. */
  record Done(long checksum) implements SnapshotMessage {
    public Done {
      if (checksum < 0 || checksum > 0xffffffffL) throw new IllegalArgumentException("checksum is a u32: " + checksum);
    }
  }
}
