package io.raftnode.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftnode.client.RaftKvException;
import io.raftnode.client.RaftKvException.Reason;
import org.junit.jupiter.api.Test;

/** The stderr line of a failed kv command: status, message, the node's reason and leader, a write's outcome. */
class KvCallTest {
  private static RaftKvException failure(String status, Reason reason, long leaderId, String leader, boolean unknown) {
    return new RaftKvException(status, 14, "n1 answered " + status + ": no leader", reason, leaderId, leader, unknown, 3);
  }

  @Test
  void aRefusedWriteNamesTheReasonAndLeaderAndSaysItDidNotApply() {
    assertEquals("error: UNAVAILABLE: n1 answered UNAVAILABLE: no leader (reason: not-leader) (leader: 2 at n2:7201)"
        + " (not applied)", KvCall.describe(failure("UNAVAILABLE", Reason.NOT_LEADER, 2, "n2:7201", false), true));
  }

  @Test
  void aWriteInDoubtSaysSoWhateverTheLastStatus() {
    assertEquals("error: UNAVAILABLE: n1 answered UNAVAILABLE: no leader (outcome unknown)",
        KvCall.describe(failure("UNAVAILABLE", Reason.NOT_APPLIED, 0, "", true), true));
  }

  @Test
  void aReadHasNoOutcome() {
    assertEquals("error: UNAVAILABLE: n1 answered UNAVAILABLE: no leader (leader: n2:7201)",
        KvCall.describe(failure("UNAVAILABLE", Reason.NONE, 0, "n2:7201", false), false));
  }
}
