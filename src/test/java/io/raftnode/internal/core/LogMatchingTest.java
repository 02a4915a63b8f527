package io.raftnode.internal.core;

import static io.raftnode.internal.core.CoreCluster.CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Log matching (§5.3), replayed on the follower states of the Raft paper's Figure 7. */
class LogMatchingTest {

  /** Entry {@code index} of {@code term}; each term has one leader (id 100 + term), as in Raft. */
  static Entry entry(long term, long index, int voters) {
    LogId id = LogId.of(term, 100 + term, index);
    if (index == 1) return CoreCluster.membershipEntry(id, voters);
    return new Entry(id, CoreCluster.data("t" + term + "i" + index));
  }

  static List<Entry> log(int voters, long... terms) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) out.add(entry(terms[i], i + 1, voters));
    return out;
  }

  private static final long[] LEADER = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
  private static final long[][] FOLLOWERS = {
    {1, 1, 1, 4, 4, 5, 5, 6, 6}, // (a) missing one entry
    {1, 1, 1, 4}, // (b) missing many
    {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}, // (c) an extra uncommitted entry of term 6
    {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}, // (d) extra entries of term 7
    {1, 1, 1, 4, 4, 4, 4}, // (e) missing entries, extra entries of term 4
    {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}, // (f) extra entries of terms 2 and 3
  };
  /** AppendEntries round trips each follower needs: one for the probe, one more per conflicting term skipped. */
  private static final int[] EXPECTED_ROUND_TRIPS = {2, 2, 1, 1, 2, 2};

  @Test
  void figure7EveryFollowerEndsWithTheLeadersLogInAboutOneRoundTripPerConflictingTerm() {
    Map<Long, List<Entry>> logs = new TreeMap<>();
    Map<Long, Vote> votes = new TreeMap<>();
    logs.put(1L, log(7, LEADER));
    for (int i = 0; i < FOLLOWERS.length; i++) logs.put(2L + i, log(7, FOLLOWERS[i]));
    for (long id = 1; id <= 7; id++) votes.put(id, Vote.of(7, 0, false));
    CoreCluster c = new CoreCluster(CONFIG, votes, logs, 8);

    // Only the leader-to-be times out: it wins term 8 with the votes of (a), (b), (e) and (f).
    while (c.core(1).role() != Role.LEADER) c.tick(1);
    assertEquals(8, c.core(1).vote().term());
    List<LogId> leaderLog = c.node(1).logIds();
    assertEquals(LogId.of(8, 1, 11), leaderLog.get(10), "the blank entry of term 8");

    for (int i = 0; i < FOLLOWERS.length; i++) {
      long id = 2L + i;
      assertEquals(leaderLog, c.node(id).logIds(), "follower " + (char) ('a' + i));
      int trips = c.appendsSent(1, id).size();
      assertEquals(EXPECTED_ROUND_TRIPS[i], trips, "follower " + (char) ('a' + i));
      assertTrue(trips <= roundTripBound(FOLLOWERS[i]), "follower " + (char) ('a' + i));
    }

    assertEquals(11, c.core(1).commitIndex());
    c.tick(1);
    c.tick(1); // a heartbeat carries the commit index
    for (CoreCluster.Sim n : c.nodes.values()) assertEquals(c.node(1).applied, n.applied, "node " + n.id);
    assertEquals(11, c.node(7).applied.size());
  }

  /** One probe, plus one per distinct term among the follower's diverging entries, plus one if it lacks entries. */
  private static int roundTripBound(long[] follower) {
    long[] leader = new long[LEADER.length + 1];
    System.arraycopy(LEADER, 0, leader, 0, LEADER.length);
    leader[LEADER.length] = 8;
    int common = 0;
    while (common < follower.length && common < leader.length && follower[common] == leader[common]) common++;
    Set<Long> diverging = new HashSet<>();
    for (int i = common; i < follower.length; i++) diverging.add(follower[i]);
    return 1 + diverging.size() + (follower.length < leader.length ? 1 : 0);
  }

  private static RaftCore follower(List<Entry> log) {
    return new RaftCore(CONFIG, 2, Vote.of(1, 0, false), log, new Random(2));
  }

  private static AppendEntriesResponse reply(List<Action> actions) {
    return ((Action.ReplyAppend) actions.get(actions.size() - 1)).response();
  }

  private static Event append(long term, long leader, LogId prev, List<Entry> entries, LogId commit) {
    return new Event.AppendEntriesReceived(1, new AppendEntriesRequest(Vote.of(term, leader, true), prev, entries, commit));
  }

  @Test
  void conflictHintSkipsAWholeTerm() {
    RaftCore f = follower(log(7, FOLLOWERS[5]));
    AppendEntriesResponse r = reply(f.step(append(8, 1, entry(6, 10, 7).logId(), List.of(), null)));
    assertEquals(new AppendEntriesResponse.Conflict(entry(3, 10, 7).logId()), r);

    RaftCore empty = follower(List.of());
    r = reply(empty.step(append(8, 1, entry(6, 10, 7).logId(), List.of(), null)));
    assertEquals(new AppendEntriesResponse.Conflict(LogId.of(0, 0, 0)), r, "nothing matches");
  }

  @Test
  void staleRequestNeverTruncatesBeyondItsOwnEntries() {
    RaftCore f = follower(log(3, 1, 1, 1, 1, 1));
    List<Entry> old = List.of(entry(1, 2, 3), entry(1, 3, 3));
    List<Action> actions = f.step(append(1, 101, entry(1, 1, 3).logId(), old, null));
    assertTrue(actions.stream().noneMatch(a -> a instanceof Action.AppendToLog), actions.toString());
    assertEquals(AppendEntriesResponse.Success.INSTANCE, reply(actions));
    assertEquals(5, f.lastLogId().index());
  }

  @Test
  void conflictingEntriesAreReplacedFromTheFirstDifference() {
    RaftCore f = follower(log(3, 1, 1, 1, 1, 1));
    List<Entry> fresh = List.of(entry(1, 3, 3), entry(2, 4, 3));
    List<Action> actions = f.step(append(2, 102, entry(1, 2, 3).logId(), fresh, null));
    assertEquals(new Action.AppendToLog(4, List.of(entry(2, 4, 3))), actions.get(1));
    assertEquals(entry(2, 4, 3).logId(), f.lastLogId(), "index 5 of term 1 is gone with it");
  }

  @Test
  void truncatingACommittedEntryIsABug() {
    RaftCore f = follower(log(3, 1, 1, 1));
    f.step(append(1, 101, entry(1, 3, 3).logId(), List.of(), entry(1, 3, 3).logId()));
    assertEquals(3, f.commitIndex());
    assertEquals(3, f.appliedIndex());
    Event bogus = append(2, 102, entry(1, 1, 3).logId(), List.of(entry(2, 2, 3)), null);
    assertThrows(IllegalStateException.class, () -> f.step(bogus));
  }

  @Test
  void followerCommitsOnlyWhatTheRequestProvedToMatch() {
    RaftCore f = follower(log(3, 1, 1, 1, 1, 1));
    // The leader has committed 5, but this heartbeat only proves that index 2 matches.
    List<Action> actions = f.step(append(1, 101, entry(1, 2, 3).logId(), List.of(), entry(1, 5, 3).logId()));
    assertEquals(2, f.commitIndex());
    assertEquals(new Action.ApplyEntries(log(3, 1, 1)), actions.get(1));
  }
}
