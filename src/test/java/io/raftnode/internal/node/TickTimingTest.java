package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftnode.NodeConfig;
import io.raftnode.internal.core.CoreConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TickTimingTest {

  private static CoreConfig core(long heartbeatMs, long minMs, long maxMs, long driftMs) {
    return TickTiming.of(new NodeConfig.RaftTimings(heartbeatMs, minMs, maxMs, driftMs), NodeConfig.Replication.DEFAULTS)
        .coreConfig();
  }

  @Test
  void theLeaseIsTheMinimumElectionTimeoutLessOneTickLessTheDriftRoundedUp() {
    assertEquals(11, core(50, 150, 300, 30).leaseTicks(), "15 ticks of 10 ms, less one, less 3");
    assertEquals(14, core(50, 150, 300, 0).leaseTicks(), "no drift: clocks of one rate");
    assertEquals(10, core(50, 150, 300, 31).leaseTicks(), "31 ms of drift count as 4 ticks");
    assertEquals(1, core(50, 150, 300, TickTiming.maxLeaseDriftMs(new NodeConfig.RaftTimings(50, 150, 300, 0))).leaseTicks());
  }

  @Test
  void theMostDriftLeavesOneTickForEveryTiming() {
    long[][] timings = {{50, 150, 300}, {5, 40, 80}, {1, 2, 3}, {50, 51, 300}, {200, 1000, 2000}, {7, 9, 10}};
    for (long[] t : timings) {
      NodeConfig.RaftTimings raft = new NodeConfig.RaftTimings(t[0], t[1], t[2], 0);
      long max = TickTiming.maxLeaseDriftMs(raft);
      String timing = Arrays.toString(t);
      assertEquals(1, core(t[0], t[1], t[2], max).leaseTicks(), timing);
      assertEquals(max / TickTiming.tickMs(raft) + 1, core(t[0], t[1], t[2], 0).leaseTicks(), timing);
      assertThrows(IllegalArgumentException.class, () -> core(t[0], t[1], t[2], max + 1), timing);
    }
  }
}
