package io.raftnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TickClockTest {

  @Test
  void catchUpDeliversTheTicksAStallLeftDueOnce() throws Exception {
    TickClock clock = new TickClock(10);
    assertEquals(0, clock.catchUp(), "no tick has passed yet");
    Thread.sleep(60);
    long due = clock.catchUp();
    assertTrue(due >= 5, "a 60 ms stall leaves at least 5 ticks of 10 ms due: " + due);
    assertTrue(clock.catchUp() <= 1, "what was caught up is not reported again");
    assertTrue(clock.elapsed() >= 1, "the timer's next firing still reports a tick");
  }

  @Test
  void elapsedCountsTheWholeStall() throws Exception {
    TickClock clock = new TickClock(10);
    Thread.sleep(60);
    assertTrue(clock.elapsed() >= 5);
    assertTrue(clock.catchUp() <= 1, "the firing delivered the stall");
  }
}
