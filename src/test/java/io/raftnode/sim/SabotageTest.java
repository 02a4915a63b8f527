package io.raftnode.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The simulator's own test: with a deliberate bug in the node or the client, some of a few seeds must fail. A
 * simulation that passed these too would prove nothing about reads, exactly-once writes (pipelined or not) or snapshot installs.
 */
class SabotageTest {

  @Test
  void readsServedWithoutAReadIndexAreCaughtAsStale() {
    assertCaught(Simulation.Sabotage.LOCAL_READS, "not linearizable");
  }

  @Test
  void writesResentWithoutTheirRequestIdsAreCaughtApplyingTwice() {
    assertCaught(Simulation.Sabotage.RETRY_WITHOUT_IDS, "not linearizable");
  }

  @Test
  void anUnknownOutcomeReportedAsNotAppliedIsCaughtApplyingTwice() {
    assertCaught(Simulation.Sabotage.UNKNOWN_AS_NOT_APPLIED, "applied twice");
  }

  @Test
  void snapshotsInstalledWithoutRestoringTheStateMachineAreCaught() {
    // The follower's state is wrong from then on: its reads, or its own next snapshot, give it away.
    assertCaught(Simulation.Sabotage.INSTALL_WITHOUT_RESTORE, "not linearizable", "two snapshots of");
  }

  @Test
  void anExactlyOnceTableThatAnswersOnlyTheLastSequenceIsCaughtApplyingTwice() {
    assertCaught(Simulation.Sabotage.REAPPLY_BELOW_LAST_SEQUENCE, "not linearizable");
  }

  @Test
  void anExactlyOnceTableThatRefusesReorderedSequencesIsCaught() {
    assertCaught(Simulation.Sabotage.REFUSE_BELOW_LAST_SEQUENCE, "exactly-once");
  }

  /** Some seed of the first 300 fails, with a message containing one of {@code expected}. */
  private static void assertCaught(Simulation.Sabotage sabotage, String... expected) {
    for (long seed = 1; seed <= 300; seed++) {
      try {
        Simulation.run(seed, sabotage);
      } catch (SimulationFailure f) {
        assertTrue(Arrays.stream(expected).anyMatch(f.getMessage()::contains), "seed " + seed + " failed otherwise: " + f.getMessage().lines().findFirst().orElse(""));
        System.out.println(sabotage + " caught by seed " + seed + ": " + f.getMessage().lines().findFirst().orElse(""));
        return;
      }
    }
    throw new AssertionError(sabotage + " went unnoticed in 300 seeds");
  }
}
