package io.raftnode.internal.transport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.grpc.StatusWithTrailers;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PeerRequestChecksTest {
  private static final Membership THREE = Membership.ofVoters(Map.of(
      1L, new Node("h:1", "h:2"), 2L, new Node("h:3", "h:4"), 3L, new Node("h:5", "h:6")));
  private static final long HUGE = PeerRequestChecks.MAX_TERM_OR_INDEX + 1;

  private static Entry entry(long term, long index) {
    return new Entry(LogId.of(term, 1, index), new EntryPayload.Blank());
  }

  private static AppendEntriesRequest append(long term, LogId prev, List<Entry> entries, LogId commit) {
    return new AppendEntriesRequest(Vote.of(term, 1, true), prev, entries, commit);
  }

  private static void refused(GrpcStatus status, String messagePart, Executable check) {
    StatusException e = assertThrows(StatusException.class, check);
    assertEquals(status, e.status(), e.message());
    assertTrue(e.message().contains(messagePart), e.message());
  }

  @Test
  void aCandidateTheMembershipNamesAsRemovedIsToldSoMachineReadably() {
    Membership removedThree = new Membership(List.of(java.util.Set.of(1L, 2L)),
        new java.util.TreeMap<>(Map.of(1L, new Node("h:1", "h:2"), 2L, new Node("h:3", "h:4"))),
        new java.util.TreeSet<>(java.util.Set.of(3L)));
    StatusWithTrailers e = assertThrows(StatusWithTrailers.class,
        () -> PeerRequestChecks.checkVote(new VoteRequest(Vote.of(4, 3, false), LogId.of(3, 1, 42), false), removedThree));
    assertEquals(GrpcStatus.FAILED_PRECONDITION, e.status());
    assertEquals(Map.of(PeerRequestChecks.REFUSAL_REASON, PeerRequestChecks.REMOVED_FROM_CLUSTER), e.trailers());
    // While the joint config that removes it is in force, the leaving voter still votes and campaigns.
    Membership leaving = THREE.jointWith(java.util.Set.of(1L, 2L), java.util.Set.of(3L));
    assertDoesNotThrow(() -> PeerRequestChecks.checkVote(new VoteRequest(Vote.of(4, 3, false), LogId.of(3, 1, 42), false), leaving));
  }

  @Test
  void wellFormedRequestsPass() {
    assertDoesNotThrow(() -> PeerRequestChecks.checkVote(new VoteRequest(Vote.of(4, 2, false), LogId.of(3, 1, 42), false), THREE));
    assertDoesNotThrow(() -> PeerRequestChecks.checkAppend(append(3, LogId.of(2, 2, 41), List.of(entry(3, 42), entry(3, 43)), LogId.of(2, 2, 40))));
    assertDoesNotThrow(() -> PeerRequestChecks.checkAppend(append(3, null, List.of(), null)));
    assertDoesNotThrow(() -> PeerRequestChecks.checkAppend(append(PeerRequestChecks.MAX_TERM_OR_INDEX, null, List.of(), null)));
  }

  /**
   * A voter added by a change this node has not received yet must get its vote, or a cluster whose other voters
   * are down could never elect it (and this node's log may be too far behind to win). Only a candidate this node
   * knows was removed is refused.
   */
  @Test
  void aCandidateThisNodeHasNotHeardOfIsLetThroughARemovedOneIsRefused() {
    VoteRequest fromSeven = new VoteRequest(Vote.of(4, 7, false), null, false);
    assertDoesNotThrow(() -> PeerRequestChecks.checkVote(fromSeven, Membership.empty()));
    assertDoesNotThrow(() -> PeerRequestChecks.checkVote(fromSeven, THREE));
    Membership sevenRemoved = new Membership(THREE.configs(), THREE.nodes(), new java.util.TreeSet<>(Set.of(7L)));
    StatusWithTrailers e = assertThrows(StatusWithTrailers.class, () -> PeerRequestChecks.checkVote(fromSeven, sevenRemoved));
    assertEquals(GrpcStatus.FAILED_PRECONDITION, e.status());
    assertTrue(e.getMessage().contains("node 7 was removed"), e.getMessage());
  }

  @Test
  void senderZeroAndAbsurdTermsAndIndexesAreInvalid() {
    refused(GrpcStatus.INVALID_ARGUMENT, "must not be 0",
        () -> PeerRequestChecks.checkVote(new VoteRequest(Vote.of(4, 0, false), null, false), THREE));
    refused(GrpcStatus.INVALID_ARGUMENT, "must not be 0",
        () -> PeerRequestChecks.checkAppend(new AppendEntriesRequest(Vote.of(4, 0, true), null, List.of(), null)));
    refused(GrpcStatus.INVALID_ARGUMENT, "vote.leader_id.term",
        () -> PeerRequestChecks.checkVote(new VoteRequest(Vote.of(HUGE, 2, false), null, false), THREE));
    refused(GrpcStatus.INVALID_ARGUMENT, "vote.leader_id.term",
        () -> PeerRequestChecks.checkVote(new VoteRequest(Vote.of(Long.MAX_VALUE, 2, false), null, false), THREE));
    refused(GrpcStatus.INVALID_ARGUMENT, "last_log_id.index",
        () -> PeerRequestChecks.checkVote(new VoteRequest(Vote.of(4, 2, false), LogId.of(3, 1, HUGE), false), THREE));
    refused(GrpcStatus.INVALID_ARGUMENT, "above the candidate's term",
        () -> PeerRequestChecks.checkVote(new VoteRequest(Vote.of(4, 2, false), LogId.of(5, 1, 9), false), THREE));
    refused(GrpcStatus.INVALID_ARGUMENT, "vote.leader_id.term",
        () -> PeerRequestChecks.checkAppend(append(HUGE, null, List.of(), null)));
    refused(GrpcStatus.INVALID_ARGUMENT, "prev_log_id.index",
        () -> PeerRequestChecks.checkAppend(append(3, LogId.of(3, 1, HUGE), List.of(), null)));
    refused(GrpcStatus.INVALID_ARGUMENT, "leader_commit",
        () -> PeerRequestChecks.checkAppend(append(3, null, List.of(), LogId.of(4, 1, 1))));
  }

  @Test
  void entriesMustFollowPrevLogIdWithoutGapsAndNotGoBackInTerm() {
    refused(GrpcStatus.INVALID_ARGUMENT, "entries[0].log_id: index 43 where 42",
        () -> PeerRequestChecks.checkAppend(append(3, LogId.of(2, 2, 41), List.of(entry(3, 43)), null)));
    refused(GrpcStatus.INVALID_ARGUMENT, "entries[1].log_id: index 42 where 43",
        () -> PeerRequestChecks.checkAppend(append(3, LogId.of(2, 2, 41), List.of(entry(3, 42), entry(3, 42)), null)));
    refused(GrpcStatus.INVALID_ARGUMENT, "entries[0].log_id: index 2 where 1",
        () -> PeerRequestChecks.checkAppend(append(3, null, List.of(entry(3, 2)), null)));
    refused(GrpcStatus.INVALID_ARGUMENT, "entries[1].log_id: term 2 is below",
        () -> PeerRequestChecks.checkAppend(append(3, null, List.of(entry(3, 1), entry(2, 2)), null)));
    refused(GrpcStatus.INVALID_ARGUMENT, "entries[0].log_id: term 1 is below",
        () -> PeerRequestChecks.checkAppend(append(3, LogId.of(2, 2, 41), List.of(entry(1, 42)), null)));
    refused(GrpcStatus.INVALID_ARGUMENT, "above the leader's term",
        () -> PeerRequestChecks.checkAppend(append(3, null, List.of(entry(4, 1)), null)));
    refused(GrpcStatus.INVALID_ARGUMENT, "uncommitted",
        () -> PeerRequestChecks.checkAppend(new AppendEntriesRequest(Vote.of(3, 1, false), null, List.of(), null)));
  }
}
