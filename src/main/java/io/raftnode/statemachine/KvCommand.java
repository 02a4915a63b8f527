package io.raftnode.statemachine;

/** A command of the default key-value state machine, as carried in a Normal log entry. */
public sealed interface KvCommand {
  byte[] key();

  record Put(byte[] key, byte[] value) implements KvCommand {}

  record Delete(byte[] key) implements KvCommand {}

  /** Sets {@code newValue} if the key is absent ({@code expectPresent} false) or holds {@code expected}. */
  record CompareAndSwap(byte[] key, boolean expectPresent, byte[] expected, byte[] newValue) implements KvCommand {}

  /** A read; through the log it is linearizable, as a local query it is as fresh as this node's state. */
  record Get(byte[] key) implements KvCommand {}
}
