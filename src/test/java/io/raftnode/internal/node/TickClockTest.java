package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TickClockTest {

  private long now = 1_000_000_000L;
  private final TickClock clock = new TickClock(10, () -> now);

  private void advanceMs(long ms) {
    now += ms * 1_000_000L;
  }

  @Test
  void reportsEveryWholeTickOnceAndNoneBeforeItPassed() {
    assertEquals(0, clock.elapsed(), "no tick has passed yet");
    advanceMs(9);
    assertEquals(0, clock.elapsed(), "9 ms are not a tick of 10");
    advanceMs(1);
    assertEquals(1, clock.elapsed());
    assertEquals(0, clock.elapsed(), "what was reported is not reported again");
    advanceMs(15);
    assertEquals(1, clock.elapsed(), "25 ms in all: the second tick");
    advanceMs(5);
    assertEquals(1, clock.elapsed(), "30 ms: the remainder counts towards the third");
  }

  @Test
  void aStallIsReportedWhole() {
    advanceMs(63);
    assertEquals(6, clock.elapsed());
    advanceMs(7);
    assertEquals(1, clock.elapsed());
  }

  @Test
  void aTimerFiringAfterACatchUpReportsOnlyWhatPassedSince() {
    advanceMs(10);
    assertEquals(1, clock.elapsed()); // the timer's firing
    advanceMs(12);
    assertEquals(1, clock.elapsed()); // a lease read catches up: the timer is overdue
    advanceMs(1);
    assertEquals(0, clock.elapsed(), "the overdue firing itself: no further tick has passed");
  }
}
