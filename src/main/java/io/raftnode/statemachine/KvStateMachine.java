package io.raftnode.statemachine;

/** The default replicated key-value store. */
public class KvStateMachine implements StateMachine {
  @Override
  public byte[] apply(long index, byte[] command) {
    throw new IllegalStateException("not yet written");
  }

  @Override
  public byte[] query(byte[] query) {
    throw new IllegalStateException("not yet written");
  }
}
