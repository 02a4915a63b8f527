package io.raftnode.statemachine;

/**
 * The application a raftnode cluster replicates. Embedders implement it; {@link KvStateMachine} is the default.
 *
 * <p>Contract: {@link #apply} is called once per committed command, in log order, from one thread at a time, and
 * must be deterministic (the same commands in the same order give the same state and replies on every node).
 * {@link #query} never changes state.
 */
public interface StateMachine {

  /** Applies the committed {@code command} at log {@code index}; the returned bytes are the client's reply. */
  byte[] apply(long index, byte[] command);

  /** Answers a read-only {@code query} from the current state. */
  byte[] query(byte[] query);

  /**
   * True when {@link #apply} and {@link #query} never block (pure in-memory work): the node then calls them on its
   * event loop. Otherwise the node calls them on a worker thread, still one at a time and in order.
   */
  default boolean runsOnEventLoop() {
    return false;
  }
}
