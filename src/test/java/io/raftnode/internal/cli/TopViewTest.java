package io.raftnode.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.StatusResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code top}'s frames from given samples: rates from counter differences, lag, leader mark, leader changes. */
class TopViewTest {
  private static final long SECOND = 1_000_000_000L;

  private static StatusResponse node(long id, String role, long term, long leader, long commit, long reads) {
    StatusResponse.Builder s = StatusResponse.newBuilder().setNodeId(id).setRole(role).setTerm(term).setLeaderId(leader)
        .setCommitIndex(commit).setAppliedIndex(commit).setReadsServed(reads);
    if (role.equals("leader")) {
      for (long m = 1; m <= 3; m++) {
        s.addMembers(MemberStatus.newBuilder().setNodeId(m).setProgressKnown(true).setLag(m == id ? 0 : m * 10));
      }
    }
    return s.build();
  }

  private static ClusterView.Row row(StatusResponse s) {
    return new ClusterView.Row(s.getNodeId(), "127.0.0.1:720" + s.getNodeId(), s, null);
  }

  private static String line(String frame, String start) {
    return frame.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(frame));
  }

  @Test
  void ratesComeFromTheDifferenceBetweenFrames() {
    TopView view = new TopView();
    String first = view.frame(List.of(row(node(1, "leader", 2, 1, 100, 10)), row(node(2, "follower", 2, 1, 98, 0)),
        row(node(3, "follower", 2, 1, 95, 4))), 0, "12:00:00");
    assertTrue(first.startsWith("raftnode top  12:00:00  leader 1 (term 2)  writes/s -  reads/s -\n"), first);
    assertTrue(line(first, "1 ").matches("1\\s+127.0.0.1:7201\\s+leader\\s+\\*\\s+2\\s+100\\s+100\\s+0\\s+-"), first);
    assertTrue(line(first, "3 ").matches("3\\s+127.0.0.1:7203\\s+follower\\s+2\\s+95\\s+95\\s+30\\s+-"), first);

    // Two seconds later: 300 more entries committed, 20 + 6 more reads answered; node 2 does not answer.
    String second = view.frame(List.of(row(node(1, "leader", 2, 1, 400, 30)),
        new ClusterView.Row(2, "127.0.0.1:7202", null, "UNAVAILABLE: cannot reach 127.0.0.1:7202"),
        row(node(3, "follower", 2, 1, 390, 10))), 2 * SECOND, "12:00:02");
    assertTrue(second.startsWith("raftnode top  12:00:02  leader 1 (term 2)  writes/s 150.0  reads/s 13.0\n"), second);
    assertTrue(line(second, "1 ").endsWith(" 10.0"), second);
    assertTrue(line(second, "2 ").matches("2\\s+127.0.0.1:7202\\s+-\\s+-.*UNAVAILABLE: cannot reach 127.0.0.1:7202"),
        second);
    assertTrue(line(second, "3 ").endsWith(" 3.0"), second);
  }

  @Test
  void leaderChangesAreListedNewestLastAndOnlyTheLastFewKept() {
    TopView view = new TopView();
    String frame = "";
    long[][] leaders = {{1, 2}, {1, 2}, {0, 3}, {2, 3}, {3, 4}, {1, 5}, {2, 6}, {2, 6}};
    for (int i = 0; i < leaders.length; i++) {
      long leader = leaders[i][0];
      long term = leaders[i][1];
      List<ClusterView.Row> rows = leader == 0
          ? List.of(row(node(1, "candidate", term, 0, 10, 0)), row(node(2, "follower", term, 0, 10, 0)))
          : List.of(row(node(leader, "leader", term, leader, 10, 0)));
      frame = view.frame(rows, i * SECOND, "12:00:0" + i);
    }
    String changes = frame.substring(frame.indexOf("leader changes (newest last):\n"));
    assertEquals("""
        leader changes (newest last):
          12:00:02  no leader, term 3
          12:00:03  leader 2, term 3
          12:00:04  leader 3, term 4
          12:00:05  leader 1, term 5
          12:00:06  leader 2, term 6
        """, changes);
    assertTrue(frame.contains("leader 2 (term 6)"), frame);
  }

  @Test
  void aRestartedMembersCounterGivesNoRate() {
    TopView view = new TopView();
    view.frame(List.of(row(node(1, "leader", 2, 1, 100, 50))), 0, "12:00:00");
    String frame = view.frame(List.of(row(node(1, "leader", 3, 1, 120, 5))), SECOND, "12:00:01");
    assertTrue(frame.contains("reads/s -"), frame);
    assertTrue(frame.contains("writes/s 20.0"), frame);
  }
}
