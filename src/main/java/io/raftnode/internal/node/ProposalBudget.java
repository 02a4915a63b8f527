package io.raftnode.internal.node;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * Flow control on the leader: the bytes of the proposals this node holds, from the moment it takes them until
 * they applied or failed, kept under {@code limits.max_pending_proposal_bytes}. A proposal that would take the
 * held bytes past the bound is refused before anything is proposed (one proposal larger than the bound is still
 * let in alone, so a node embedded with a bound below its largest command makes progress).
 *
 * <p>The accounting is exact: each admitted proposal is released once, when its call completes (applied, or
 * failed in any way), or earlier when this node stops leading: a deposed leader takes no proposals, and what it
 * still holds for its old ones is the log's, bounded by the follower's own bounds. Releases of proposals made
 * before a leadership loss are recognised by their generation and ignored, so nothing is released twice.
 *
 * <p>Used on the Raft loop only.
 */
final class ProposalBudget {
  /**
   * How long a refused client is told to wait: about a few commit round trips, the time the leader needs to apply
   * a batch and free its bytes. A hint, not a promise.
   */
  static final long RETRY_AFTER_MS = 100;

  private final long bound;
  private long held;
  private long generation;
  /** Resumed once the held bytes fall to half the bound, so a paused session does not flap at the edge. */
  private List<Promise<Void>> roomWaiters = new ArrayList<>();

  ProposalBudget(long bound) {
    this.bound = bound;
  }

  /** A reservation of {@code bytes}, or null when they do not fit under the bound. */
  Reservation admit(long bytes) {
    if (held > 0 && held + bytes > bound) return null;
    held += bytes;
    return new Reservation(bytes, generation);
  }

  /** Gives back what {@code reservation} held, unless a leadership loss gave it back already. */
  void release(Reservation reservation) {
    if (reservation.generation != generation) return;
    held -= reservation.bytes;
    if (held <= bound / 2) wakeRoomWaiters();
  }

  /** This node stopped leading (or stopped): nothing it holds counts against new proposals any more. */
  void releaseAll() {
    generation++;
    held = 0;
    wakeRoomWaiters();
  }

  /** Completes once there is room again (the held bytes fell to half the bound); at once if there is. */
  Future<Void> room() {
    if (held <= bound / 2) return Future.succeededFuture();
    Promise<Void> promise = Promise.promise();
    roomWaiters.add(promise);
    return promise.future();
  }

  long held() {
    return held;
  }

  long bound() {
    return bound;
  }

  private void wakeRoomWaiters() {
    if (roomWaiters.isEmpty()) return;
    List<Promise<Void>> waiting = roomWaiters;
    roomWaiters = new ArrayList<>();
    waiting.forEach(Promise::tryComplete);
  }

  /** What one admitted proposal holds. */
  static final class Reservation {
    private final long bytes;
    private final long generation;

    private Reservation(long bytes, long generation) {
      this.bytes = bytes;
      this.generation = generation;
    }
  }
}
