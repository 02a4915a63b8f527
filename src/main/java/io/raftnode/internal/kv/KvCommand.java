package io.raftnode.internal.kv;

/**
 * A command of the default key-value state machine, as carried in a Normal log entry. Writes may carry a
 * {@link RequestId} (null = none) that makes a retried write apply at most once.
 */
public sealed interface KvCommand {
  byte[] key();

  /** The write's request id, or null (reads have none). */
  default RequestId requestId() {
    return null;
  }

  record Put(byte[] key, byte[] value, RequestId requestId) implements KvCommand {
    public Put(byte[] key, byte[] value) {
      this(key, value, null);
    }
  }

  record Delete(byte[] key, RequestId requestId) implements KvCommand {
    public Delete(byte[] key) {
      this(key, null);
    }
  }

  /** Sets {@code newValue} if the key is absent ({@code expectPresent} false) or holds {@code expected}. */
  record CompareAndSwap(byte[] key, boolean expectPresent, byte[] expected, byte[] newValue, RequestId requestId)
      implements KvCommand {
    public CompareAndSwap(byte[] key, boolean expectPresent, byte[] expected, byte[] newValue) {
      this(key, expectPresent, expected, newValue, null);
    }
  }

  /** A read; through the log it is linearizable, as a local query it is as fresh as this node's state. */
  record Get(byte[] key) implements KvCommand {}
}
