package io.raftnode.internal.node;

import io.raftnode.NodeStatus;
import io.raftnode.internal.core.PeerProgress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The long work under way on a node (snapshots sent and installed, followers catching up from far behind): what
 * Status shows of it, and an INFO line for each every {@link #LOG_INTERVAL_MS}. Followers are watched on the
 * leader: one whose match index is {@link #FAR_BEHIND_ENTRIES} or more behind the last index is catching up until
 * it is within half of that. On the node's event loop; time from the node's clock.
 */
final class LongWork {
  private static final Logger LOG = Logger.getLogger(LongWork.class.getName());
  static final long LOG_INTERVAL_MS = 5000;
  /** How often followers' match indexes are looked at. */
  static final long WATCH_INTERVAL_MS = 1000;
  static final long FAR_BEHIND_ENTRIES = 1000;

  private final long selfId;
  private final LongSupplier clock;
  private final List<WorkProgress> active = new ArrayList<>();
  private final Map<Long, WorkProgress> catchUps = new HashMap<>();
  private final Map<Long, Long> catchUpFrom = new HashMap<>();
  private long lastWatchMs = Long.MIN_VALUE;

  LongWork(long selfId, LongSupplier clock) {
    this.selfId = selfId;
    this.clock = clock;
  }

  WorkProgress start(WorkProgress.Kind kind, long peer, long total) {
    WorkProgress work = new WorkProgress(kind, peer, total, clock.getAsLong());
    active.add(work);
    return work;
  }

  /** The work ended (done, failed or dropped); a second call changes nothing. */
  void finish(WorkProgress work) {
    active.remove(work);
  }

  /**
   * Called every tick: at most once per {@link #WATCH_INTERVAL_MS} looks at the followers ({@code followers}
   * gives the leader's progress of each, empty on any other node) and logs the work due for a line.
   */
  void tick(Supplier<Map<Long, PeerProgress>> followers, long lastIndex) {
    long now = clock.getAsLong();
    if (lastWatchMs != Long.MIN_VALUE && now - lastWatchMs < WATCH_INTERVAL_MS) return;
    lastWatchMs = now;
    Map<Long, Long> matched = new HashMap<>();
    followers.get().forEach((id, p) -> matched.put(id, p.matchIndex()));
    watch(matched, lastIndex);
    for (WorkProgress work : active) {
      if (work.logDue(now, LOG_INTERVAL_MS)) LOG.info(work.describe(selfId, now));
    }
  }

  /** Starts, advances and ends the catch-up of each follower by its match index (package-private for tests). */
  void watch(Map<Long, Long> matchIndexes, long lastIndex) {
    for (Map.Entry<Long, Long> e : matchIndexes.entrySet()) {
      long id = e.getKey();
      long match = e.getValue();
      WorkProgress work = catchUps.get(id);
      if (work == null && lastIndex - match >= FAR_BEHIND_ENTRIES) {
        work = start(WorkProgress.Kind.CATCH_UP, id, lastIndex - match);
        catchUps.put(id, work);
        catchUpFrom.put(id, match);
        LOG.info("node " + selfId + ": node " + id + " is " + (lastIndex - match) + " entries behind; catching up");
      }
      if (work == null) continue;
      long from = catchUpFrom.get(id);
      work.advance(Math.max(0, match - from), Math.max(0, lastIndex - from));
      if (lastIndex - match < FAR_BEHIND_ENTRIES / 2) endCatchUp(id, "caught up");
    }
    for (Long id : List.copyOf(catchUps.keySet())) {
      if (!matchIndexes.containsKey(id)) endCatchUp(id, "is no longer followed");
    }
  }

  private void endCatchUp(long id, String how) {
    WorkProgress work = catchUps.remove(id);
    catchUpFrom.remove(id);
    finish(work);
    LOG.info("node " + selfId + ": node " + id + " " + how + " (" + work.done() + " entries in "
        + work.elapsedMs(clock.getAsLong()) + " ms)");
  }

  List<NodeStatus.Work> view() {
    long now = clock.getAsLong();
    List<NodeStatus.Work> out = new ArrayList<>();
    for (WorkProgress work : active) out.add(work.view(now));
    return out;
  }
}
