package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static io.raftnode.cluster.TestCluster.awaitCondition;
import static io.raftnode.cluster.TestCluster.remoteFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.AddLearnerRequest;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.MembershipResponse;
import io.raftnode.proto.StatusResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * AdminService's membership methods over real gRPC between in-process nodes: learners started with
 * {@code "members": {}}, promotion through joint consensus, the refusals and their statuses, removing the leader,
 * a removed node that missed its removal, a node that lost its disk, and a change whose outcome is unknown.
 */
@Timeout(240)
class MembershipClusterTest {

  @TempDir
  Path dataDirs;

  private static StatusResponse status(TestCluster cluster, long id) {
    StatusResponse s = cluster.client(id).status();
    if (s == null) throw new AssertionError("node " + id + " does not answer Status");
    return s;
  }

  private static long follower(TestCluster cluster, long leader) {
    for (long id : cluster.running()) if (id != leader) return id;
    throw new AssertionError("no follower runs");
  }

  private static void awaitApplied(TestCluster cluster, long id, long index) {
    awaitCondition("node " + id + " to apply up to " + index, () -> {
      StatusResponse s = cluster.client(id).status();
      return s != null && s.getAppliedIndex() >= index;
    });
  }

  /** Waits until the leader's view of {@code id} holds the leader's whole log: it may then be promoted. */
  private static void awaitCaughtUp(TestCluster cluster, long leader, long id) {
    awaitCondition("the leader to see node " + id + " caught up", () -> {
      StatusResponse s = cluster.client(leader).status();
      return s != null && member(s, id).getProgressKnown() && member(s, id).getLag() == 0;
    });
  }

  private static MemberStatus member(StatusResponse s, long id) {
    return s.getMembersList().stream().filter(m -> m.getNodeId() == id).findFirst()
        .orElseThrow(() -> new AssertionError("node " + s.getNodeId() + " does not list member " + id + ": " + s));
  }

  private static Map<String, String> write(TestCluster cluster, long via, String prefix, int count) {
    Map<String, String> written = new TreeMap<>();
    ThreeNodeClusterTest.writeSpreadOverNodes(cluster, List.of(via), prefix, count, written);
    return written;
  }

  @Test
  void growsFromThreeToFiveWithNodesStartedEmptyAndPromotedThroughAFollower() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = follower(cluster, leader);
      Map<String, String> before = write(cluster, leader, "before-", 200);
      long four = cluster.addEmptyNode();
      long five = cluster.addEmptyNode();
      cluster.start(four);
      cluster.start(five);
      StatusResponse waiting = status(cluster, four);
      assertEquals("learner", waiting.getRole(), "a node started with no members waits as a learner");
      assertEquals(0, waiting.getVotersCount());
      assertEquals(0, waiting.getMembershipLogIndex());

      for (long id : List.of(four, five)) {
        MembershipResponse added = await(cluster.client(follower).addLearner(id, cluster.config(id), 0));
        assertTrue(added.getLearnersList().contains(id), "added: " + added);
        assertEquals(Set.of(1L, 2L, 3L), Set.copyOf(added.getVotersList()));
        assertTrue(added.getLogIndex() > 0);
      }
      StatusResponse learner = status(cluster, four);
      assertEquals("learner", learner.getRole());
      awaitCaughtUp(cluster, leader, four);
      awaitCaughtUp(cluster, leader, five);

      MembershipResponse promoted = await(cluster.client(follower).changeMembership(List.of(1L, 2L, 3L, four, five), 0));
      assertEquals(Set.of(1L, 2L, 3L, four, five), Set.copyOf(promoted.getVotersList()));
      assertEquals(0, promoted.getLearnersCount());
      StatusResponse onLeader = status(cluster, leader);
      assertEquals(promoted.getLogIndex(), onLeader.getMembershipLogIndex());
      assertEquals(0, onLeader.getJointNewVotersCount(), "the joint config was left");
      MemberStatus progress = member(onLeader, five);
      assertTrue(progress.getVoter() && progress.getProgressKnown(), "the leader reports its view: " + progress);
      assertFalse(member(status(cluster, follower), five).getProgressKnown(), "a follower has no progress to report");

      Map<String, String> after = write(cluster, four, "after-", 200);
      long commit = status(cluster, cluster.awaitLeader()).getCommitIndex();
      for (long id : List.of(four, five)) {
        awaitApplied(cluster, id, commit);
        assertEquals("follower", status(cluster, id).getRole());
        ThreeNodeClusterTest.assertAllPresent(cluster, id, before, Consistency.STALE);
        ThreeNodeClusterTest.assertAllPresent(cluster, id, after, Consistency.STALE);
      }
    }
  }

  @Test
  void badRequestsAreRefusedWithAClearStatusAndChangeNothing() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      KvTestClient client = cluster.client(follower(cluster, leader));
      long index = status(cluster, leader).getMembershipLogIndex();

      assertRefused(GrpcStatus.INVALID_ARGUMENT, "at least one voter", client.changeMembership(List.of(), 0));
      assertRefused(GrpcStatus.INVALID_ARGUMENT, "[9]", client.changeMembership(List.of(1L, 2L, 3L, 9L), 0));
      assertRefused(GrpcStatus.INVALID_ARGUMENT, "node ids", client.changeMembership(List.of(1L, 0L), 0));
      assertRefused(GrpcStatus.INVALID_ARGUMENT, "twice", client.changeMembership(List.of(1L, 1L, 2L), 0));
      assertRefused(GrpcStatus.INVALID_ARGUMENT, "node_id", client.addLearner(AddLearnerRequest.newBuilder()
          .setNodeId(0).setPeerAddress("127.0.0.1:1").setClientAddress("127.0.0.1:2").build()));
      assertRefused(GrpcStatus.INVALID_ARGUMENT, "peer_address", client.addLearner(AddLearnerRequest.newBuilder()
          .setNodeId(7).setPeerAddress("no-port").setClientAddress("127.0.0.1:2").build()));
      assertRefused(GrpcStatus.INVALID_ARGUMENT, "client_address", client.addLearner(AddLearnerRequest.newBuilder()
          .setNodeId(7).setPeerAddress("127.0.0.1:1").build()));
      assertRefused(GrpcStatus.INVALID_ARGUMENT, "not a member", client.removeMember(9, 0));
      assertRefused(GrpcStatus.FAILED_PRECONDITION, "index " + index,
          client.changeMembership(List.of(1L, 2L), index + 5));

      // A learner that never started cannot be promoted: it has not caught up.
      long absent = cluster.addEmptyNode();
      long added = await(client.addLearner(absent, cluster.config(absent), index)).getLogIndex();
      assertRefused(GrpcStatus.FAILED_PRECONDITION, "has not caught up",
          client.changeMembership(List.of(1L, 2L, 3L, absent), 0));
      // Removed ids are never used again.
      await(client.removeMember(absent, added));
      assertRefused(GrpcStatus.FAILED_PRECONDITION, "never reused", client.addLearner(absent, cluster.config(absent), 0));
      StatusResponse now = status(cluster, leader);
      assertEquals(Set.of(1L, 2L, 3L), Set.copyOf(now.getVotersList()));
      assertEquals(List.of(absent), now.getRemovedList());
      assertEquals(0, now.getLearnersCount());
    }
  }

  private static void assertRefused(GrpcStatus expected, String mentions, io.vertx.core.Future<?> call) {
    RemoteCallException refused = remoteFailure(call);
    assertEquals(expected, refused.status(), refused.getMessage());
    assertTrue(refused.statusMessage().contains(mentions), "\"" + mentions + "\" in " + refused.statusMessage());
  }

  @Test
  void aLeaderLeftOutOfTheVotersStepsDownAndAnotherLeaderServes() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long term = status(cluster, leader).getTerm();
      Set<Long> rest = new TreeSet<>(cluster.running());
      rest.remove(leader);
      MembershipResponse changed = await(cluster.client(leader).changeMembership(rest, 0));
      assertEquals(rest, Set.copyOf(changed.getVotersList()));
      assertEquals(List.of(leader), changed.getLearnersList(), "the old leader stays as a learner");

      long next = cluster.awaitLeaderAmong(rest);
      assertTrue(rest.contains(next));
      assertTrue(status(cluster, next).getTerm() > term);
      awaitCondition("the old leader to step down", () -> "learner".equals(status(cluster, leader).getRole()));
      Map<String, String> served = write(cluster, leader, "served-", 50); // forwarded by the old leader
      for (long id : cluster.running()) {
        awaitApplied(cluster, id, status(cluster, next).getCommitIndex());
        ThreeNodeClusterTest.assertAllPresent(cluster, id, served, Consistency.STALE);
      }

      await(cluster.client(next).removeMember(leader, 0));
      awaitCondition("the removed node to know it", () -> status(cluster, leader).getRemovedFromCluster());
    }
  }

  @Test
  void aRemovedVoterThatMissedItsRemovalIsToldSoAndNoLongerFedOrHeard() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long gone = follower(cluster, leader);
      cluster.stop(gone);
      MembershipResponse removed = await(cluster.client(leader).removeMember(gone, 0));
      assertFalse(removed.getVotersList().contains(gone));
      assertEquals(List.of(gone), removed.getRemovedList());
      StatusResponse before = status(cluster, leader);

      cluster.start(gone); // its own log still says it is a voter: it campaigns until a member tells it
      awaitCondition("node " + gone + " to learn it was removed", () -> status(cluster, gone).getRemovedFromCluster());
      long lastLog = status(cluster, gone).getLastLogIndex();
      write(cluster, leader, "after-", 50);
      StatusResponse after = status(cluster, leader);
      assertEquals(before.getTerm(), after.getTerm(), "its vote requests disturbed nobody");
      assertEquals(leader, after.getLeaderId());
      assertEquals(lastLog, status(cluster, gone).getLastLogIndex(), "the removed node gets no more entries");
      assertFalse(after.getMembersList().stream().anyMatch(m -> m.getNodeId() == gone));
      assertEquals("learner", status(cluster, gone).getRole());
    }
  }

  @Test
  void aNodeThatLostItsDiskIsReportedThenReplacedUnderANewId() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long four = cluster.addEmptyNode();
      cluster.start(four);
      await(cluster.client(leader).addLearner(four, cluster.config(four), 0));
      awaitCaughtUp(cluster, leader, four);
      await(cluster.client(leader).changeMembership(List.of(1L, 2L, 3L, four), 0));
      Map<String, String> written = write(cluster, leader, "k-", 100);
      awaitApplied(cluster, four, status(cluster, leader).getCommitIndex());

      cluster.stop(four);
      cluster.wipe(four);
      cluster.start(four);
      awaitCondition("the leader to report node " + four + " lost its log", () -> {
        StatusResponse s = cluster.client(cluster.awaitLeader()).status();
        return s != null && member(s, four).getLostLog();
      });
      leader = cluster.awaitLeaderAmong(List.of(1L, 2L, 3L));
      assertEquals(0, status(cluster, four).getLastLogIndex(), "a node that lost its log is fed no more");

      await(cluster.client(leader).removeMember(four, 0));
      cluster.stop(four);
      long five = cluster.addEmptyNode();
      cluster.start(five);
      await(cluster.client(leader).addLearner(five, cluster.config(five), 0));
      awaitCaughtUp(cluster, leader, five);
      MembershipResponse replaced = await(cluster.client(leader).changeMembership(List.of(1L, 2L, 3L, five), 0));
      assertEquals(Set.of(1L, 2L, 3L, five), Set.copyOf(replaced.getVotersList()));
      assertEquals(List.of(four), replaced.getRemovedList());
      ThreeNodeClusterTest.assertAllPresent(cluster, five, written, Consistency.STALE);

      // The removed id survives a snapshot on every node and a restart of all of them.
      for (long id : List.of(1L, 2L, 3L, five)) await(cluster.client(id).takeSnapshot());
      for (long id : List.of(1L, 2L, 3L, five)) cluster.stop(id);
      for (long id : List.of(1L, 2L, 3L, five)) cluster.start(id);
      long restarted = cluster.awaitLeader();
      assertEquals(List.of(four), status(cluster, restarted).getRemovedList());
      assertRefused(GrpcStatus.FAILED_PRECONDITION, "never reused",
          cluster.client(restarted).addLearner(four, cluster.config(four), 0));
    }
  }

  @Test
  void aChangeCutShortIsAnsweredOutcomeUnknownAndIsFinishedByTheNextLeader() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long four = cluster.addEmptyNode();
      long five = cluster.addEmptyNode();
      for (long id : List.of(four, five)) {
        cluster.start(id);
        await(cluster.client(leader).addLearner(id, cluster.config(id), 0));
      }
      awaitCaughtUp(cluster, leader, four);
      awaitCaughtUp(cluster, leader, five);
      cluster.stop(four);
      cluster.stop(five);
      // C_new = {leader, 4, 5} has only the leader alive: the joint entry is appended but cannot commit.
      RemoteCallException unknown = remoteFailure(cluster.client(leader).changeMembership(List.of(leader, four, five), 0));
      assertEquals(GrpcStatus.UNKNOWN, unknown.status(), unknown.getMessage());
      assertEquals("outcome-unknown", unknown.metadata("raftnode-error"));

      cluster.start(four);
      cluster.start(five);
      Set<Long> expected = Set.of(leader, four, five);
      awaitCondition("the next leader to finish the change", () -> {
        for (long id : cluster.running()) {
          StatusResponse s = cluster.client(id).status();
          if (s == null || !Set.copyOf(s.getVotersList()).equals(expected) || s.getJointNewVotersCount() > 0) return false;
        }
        return true;
      });
      long next = cluster.awaitLeaderAmong(expected);
      assertNotEquals(0, next);
      assertTrue(await(cluster.client(next).put("after", "change")).getRevision() > 0);
    }
  }
}
