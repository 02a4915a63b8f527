package io.raftnode.statemachine;

/**
 * The application a raftnode cluster replicates. Embedders implement it; node.jar runs a key-value store of its
 * own (KvService).
 *
 * <p>Contract: {@link #apply} is called once per committed command, in log order, from one thread at a time, and
 * must be deterministic (the same commands in the same order give the same state and replies on every node).
 * {@link #query} never changes state.
 */
public interface StateMachine {

  /**
   * Applies a committed command.
   *
   * @param index   its log index
   * @param command the bytes proposed
   * @return the reply the proposer gets ({@code Applied.result()})
   */
  byte[] apply(long index, byte[] command);

  /**
   * Answers a read-only query from the current state.
   *
   * @param query the bytes asked
   * @return the answer
   */
  byte[] query(byte[] query);

  /**
   * True when {@link #apply} and {@link #query} never block (pure in-memory work): the node then calls them on its
   * event loop. Otherwise the node calls them on a worker thread, still one at a time and in order.
   *
   * @return false by default
   */
  default boolean runsOnEventLoop() {
    return false;
  }

  /**
   * Captures the current state (everything applied so far) for a snapshot. Called on the state machine's thread
   * right after an apply, so no apply runs during the call; it must return quickly (the event loop may be that
   * thread) and must not copy the whole state there. The returned writer is used on another thread while applies
   * continue, and must still write the state as it was at this call.
   *
   * @return the captured state, to be written later
   * @throws UnsupportedOperationException when {@link #supportsSnapshots()} is false
   */
  default SnapshotWriter snapshot() {
    throw new UnsupportedOperationException(getClass().getName() + " does not take snapshots");
  }

  /**
   * Replaces the whole state with a snapshot written by {@link SnapshotWriter#writeTo}. Called on a worker thread;
   * the node applies nothing and answers no query meanwhile. Must read the stream incrementally: a snapshot may be
   * larger than the heap.
   *
   * @param in the snapshot's bytes, as {@link SnapshotWriter#writeTo} wrote them
   * @throws java.io.IOException when the stream cannot be read or does not hold a snapshot of this state machine
   */
  default void restore(java.io.InputStream in) throws java.io.IOException {
    throw new UnsupportedOperationException(getClass().getName() + " does not restore snapshots");
  }

  /**
   * True when {@link #snapshot()} and {@link #restore} work; without them the node never compacts its log.
   *
   * @return false by default
   */
  default boolean supportsSnapshots() {
    return false;
  }
}
