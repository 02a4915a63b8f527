package io.raftnode.statemachine;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The state of a {@link StateMachine} at one applied index, captured by {@link StateMachine#snapshot()} and written
 * later on a worker thread while the state machine keeps applying newer commands. The state machine guarantees
 * that what {@link #writeTo} writes is exactly the state at capture time.
 */
public interface SnapshotWriter {

  /**
   * Writes the captured state; called once, on a thread other than the state machine's.
   *
   * @param out where the snapshot goes
   * @throws IOException when writing fails (the snapshot is then abandoned)
   */
  void writeTo(OutputStream out) throws IOException;

  /** Releases what the capture holds; called once after {@link #writeTo} ended or when the snapshot is abandoned. */
  default void release() {}
}
