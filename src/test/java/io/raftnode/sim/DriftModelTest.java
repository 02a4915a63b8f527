package io.raftnode.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.core.CoreConfig;
import org.junit.jupiter.api.Test;

/** The simulator's clocks drift by the whole bound the core's lease allows for, and no more. */
class DriftModelTest {

  private static final int MIN = Simulation.ELECTION_TICKS_MIN;

  @Test
  void theFastestFollowerRefusesExactlyAsLongAsTheSlowestLeadersLeaseLasts() {
    for (int drift = 0; drift <= MIN - 2; drift++) {
      CoreConfig config = new CoreConfig(5, MIN, 2 * MIN, 64, 1 << 20, 8, drift);
      long fastest = Simulation.fastestTickMs(MIN, drift);
      long leaseMs = config.leaseTicks() * Simulation.TICK_MS;
      long refusalMs = (MIN - 1) * fastest; // the refusal is sure to outlast this
      assertEquals(leaseMs, refusalMs, "drift " + drift + ": the bound is used in full, to the millisecond");
      if (fastest > 1) {
        assertTrue((MIN - 1) * (fastest - 1) < leaseMs, "drift " + drift + ": a faster clock would outrun the lease");
      }
    }
    assertEquals(Simulation.TICK_MS, Simulation.fastestTickMs(MIN, 0), "drift 0: every clock at one rate");
    assertEquals(1, Simulation.fastestTickMs(MIN, MIN - 2), "the most drift allowed: a lease of one tick");
  }
}
