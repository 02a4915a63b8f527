package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SnapshotTriggerTest {
  private final SnapshotTrigger trigger = new SnapshotTrigger(1000, 1 << 20);

  @Test
  void entriesAloneMakeASnapshotDue() {
    assertFalse(trigger.due(999, 0, 0));
    assertTrue(trigger.due(1000, 0, 500L << 20));
  }

  @Test
  void bytesMakeASnapshotDueOnceTheyPassTheThresholdWhileTheStateIsSmaller() {
    assertFalse(trigger.due(10, (1 << 20) - 1, 4096));
    assertTrue(trigger.due(10, 1 << 20, 4096));
  }

  @Test
  void aStateLargerThanTheThresholdWaitsForAsManyBytesOfLog() {
    long state = 400L << 20;
    assertFalse(trigger.due(10, 128L << 20, state), "128 MiB of log against a 400 MiB state");
    assertFalse(trigger.due(10, state - 1, state));
    assertTrue(trigger.due(10, state, state));
  }
}
