package io.raftnode.internal.model;

import java.util.Arrays;
import java.util.HexFormat;

/** What a log entry carries: nothing (a new leader's blank entry), application bytes, or a membership. */
public sealed interface EntryPayload {

  /** The entry each new leader appends so that it can commit entries of earlier terms. */
  record Blank() implements EntryPayload {
    public static final Blank INSTANCE = new Blank();
  }

  /** Application data: an opaque command for the state machine. */
  record Normal(byte[] data) implements EntryPayload {
    public Normal {
      if (data == null) throw new IllegalArgumentException("data must not be null");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Normal n && Arrays.equals(data, n.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Normal(" + (data.length <= 32 ? HexFormat.of().formatHex(data) : data.length + " bytes") + ")";
    }
  }

  /** A membership change; it takes effect as soon as it is in the log. */
  record MembershipChange(Membership membership) implements EntryPayload {
    public MembershipChange {
      if (membership == null) throw new IllegalArgumentException("membership must not be null");
    }
  }
}
