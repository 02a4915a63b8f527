package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.NodeStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress arithmetic and the catch-up watch, on a clock the test moves by hand. */
class WorkProgressTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void percentRateAndTimeLeftFollowFromWhatWasDoneAndTheTimeItTook() {
    WorkProgress p = new WorkProgress(WorkProgress.Kind.SNAPSHOT_SEND, 3, 100 * MIB, 10_000);
    assertEquals(0, p.percent());
    assertEquals(-1, p.etaMs(10_000), "nothing done yet: no estimate");
    assertEquals(-1, p.etaMs(12_000), "time passed but nothing done: still none");
    p.advance(25 * MIB);
    assertEquals(25, p.percent());
    assertEquals(5 * MIB, p.ratePerSecond(15_000), 0.001, "25 MiB in 5 s");
    assertEquals(15_000, p.etaMs(15_000), "75 MiB left at 5 MiB/s");
    assertEquals("node 1 sending a snapshot to node 3: 25.0 MiB of 100.0 MiB (25%), 5.0 MiB/s, about 15 s left",
        p.describe(1, 15_000));
    p.advance(100 * MIB);
    assertEquals(100, p.percent());
    assertEquals(0, p.etaMs(20_000));
    NodeStatus.Work view = p.view(20_000);
    assertEquals(new NodeStatus.Work("snapshot-send", 3, "bytes", 100 * MIB, 100 * MIB, 10.0 * MIB, 0, 10_000), view);
  }

  @Test
  void doneNeverPassesTheTotalAndAGrowingTotalLowersThePercent() {
    WorkProgress p = new WorkProgress(WorkProgress.Kind.CATCH_UP, 2, 1000, 0);
    p.advance(1500, 1000);
    assertEquals(1000, p.done());
    p.advance(1000, 4000);
    assertEquals(25, p.percent());
    assertEquals("node 1 catching up node 2: 1000 entries of 4000 entries (25%), 500 entries/s, about 6 s left",
        p.describe(1, 2000));
  }

  @Test
  void aLineIsDueOncePerInterval() {
    WorkProgress p = new WorkProgress(WorkProgress.Kind.SNAPSHOT_INSTALL, 1, 10, 0);
    assertFalse(p.logDue(4_999, 5000));
    assertTrue(p.logDue(5_000, 5000));
    assertFalse(p.logDue(9_999, 5000));
    assertTrue(p.logDue(10_000, 5000));
  }

  @Test
  void aFollowerFarBehindIsCaughtUpUntilItIsWithinHalfTheThreshold() {
    AtomicLong now = new AtomicLong(0);
    LongWork work = new LongWork(1, now::get);
    work.watch(Map.of(2L, 9_500L, 3L, 1_000L), 10_000);
    assertEquals(List.of(new NodeStatus.Work("catch-up", 3, "entries", 0, 9_000, 0, -1, 0)), work.view(),
        "node 2 is 500 behind (not far), node 3 is 9000 behind");
    now.set(2_000);
    work.watch(Map.of(2L, 10_500L, 3L, 5_000L), 11_000);
    NodeStatus.Work w = work.view().get(0);
    assertEquals(4_000, w.done(), "from match 1000 to 5000");
    assertEquals(10_000, w.total(), "from match 1000 to the last index 11000");
    assertEquals(2_000, w.ratePerSecond(), 0.001);
    assertEquals(3_000, w.etaMs(), "6000 entries left at 2000/s");
    now.set(3_000);
    work.watch(Map.of(2L, 11_000L, 3L, 10_600L), 11_000);
    assertEquals(List.of(), work.view(), "within 500 entries: caught up");
  }

  @Test
  void aFollowerNoLongerFollowedEndsItsCatchUp() {
    AtomicLong now = new AtomicLong(0);
    LongWork work = new LongWork(1, now::get);
    work.watch(Map.of(2L, 0L), 5_000);
    assertEquals(1, work.view().size());
    work.watch(Map.of(), 5_000);
    assertEquals(List.of(), work.view(), "no longer leading, or the member was removed");
  }
}
