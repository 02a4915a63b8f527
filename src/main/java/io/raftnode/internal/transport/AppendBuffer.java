package io.raftnode.internal.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * What a node holds of the log between the network and its state machine, in bytes: append requests read from a
 * leader's StreamAppend stream and not yet answered (their entries not yet durable), and committed entries handed
 * to the state machine and not yet applied. While it is at {@code limits.max_pending_append_bytes} or more, the
 * StreamAppend endpoint reads no further requests: the leader's stream backs up (HTTP/2 flow control, then the
 * leader's own window of requests in flight) instead of this node's heap growing. A single request is always read
 * when nothing is held, so one larger than the bound still gets through alone.
 *
 * <p>Used on the node's event loop only.
 */
public final class AppendBuffer {
  /** For nodes and tests that bound nothing. */
  public static AppendBuffer unbounded() {
    return new AppendBuffer(Long.MAX_VALUE);
  }

  private final long bound;
  private long held;
  private List<Runnable> roomWaiters = new ArrayList<>();

  public AppendBuffer(long bound) {
    this.bound = bound;
  }

  public void add(long bytes) {
    held += bytes;
  }

  /** Gives back {@code bytes}; once below the bound, runs whatever waits for room. */
  public void release(long bytes) {
    held -= bytes;
    if (held < bound && !roomWaiters.isEmpty()) {
      List<Runnable> waiting = roomWaiters;
      roomWaiters = new ArrayList<>();
      waiting.forEach(Runnable::run);
    }
  }

  /** No further request may be read until {@link #whenRoom} runs. */
  public boolean full() {
    return held >= bound;
  }

  /** Runs {@code resume} once the held bytes fall below the bound (the caller checks {@link #full()} first). */
  public void whenRoom(Runnable resume) {
    roomWaiters.add(resume);
  }

  public long held() {
    return held;
  }

  public long bound() {
    return bound;
  }
}
