package io.raftnode.internal.cli;

import static io.raftnode.internal.cli.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.cli.CommandLineTest.Result;
import io.raftnode.proto.AddLearnerRequest;
import io.raftnode.proto.AdminServiceGrpcService;
import io.raftnode.proto.ChangeMembershipRequest;
import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.MembershipResponse;
import io.raftnode.proto.RemoveMemberRequest;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code member list|add-learner|promote|remove} against an in-process fake node. */
class MemberCommandTest {
  private static final MembershipResponse COMMITTED = MembershipResponse.newBuilder()
      .addAllVoters(List.of(1L, 2L, 3L, 4L)).addLearners(5).setLogIndex(42).build();

  private static StatusResponse leaderStatus() {
    return StatusResponse.newBuilder().setNodeId(1).setRole("leader").setLeaderId(1).setMembershipLogIndex(17)
        .addAllVoters(List.of(1L, 2L, 3L)).addLearners(4)
        .addMembers(MemberStatus.newBuilder().setNodeId(1).setPeerAddress("127.0.0.1:7101")
            .setClientAddress("127.0.0.1:7201").setVoter(true).setLeader(true).setProgressKnown(true)
            .setMatchIndex(20).setReplication("self"))
        .addMembers(MemberStatus.newBuilder().setNodeId(2).setPeerAddress("127.0.0.1:7102")
            .setClientAddress("127.0.0.1:7202").setVoter(true).setProgressKnown(true).setMatchIndex(3).setLag(17)
            .setReplication("probe").setLostLog(true))
        .addMembers(MemberStatus.newBuilder().setNodeId(4).setPeerAddress("127.0.0.1:7104")
            .setClientAddress("127.0.0.1:7204").setProgressKnown(true).setMatchIndex(20).setReplication("replicate")
            .setLastHeardMsAgo(12))
        .build();
  }

  private static Result ok(String... words) {
    Result result = run(words);
    assertEquals(0, result.code(), result.err());
    return result;
  }

  @Test
  void listShowsEveryMemberWithItsRoleProgressAndALostLog() throws Exception {
    try (FakeNode node = new FakeNode().answer(AdminServiceGrpcService.Status, r -> leaderStatus())) {
      String server = node.start();
      String table = ok("member", "list", "--server", server).out();
      String[] lines = table.split("\n");
      assertTrue(lines[0].startsWith("ID"), table);
      assertTrue(lines[1].matches("1\\s+127.0.0.1:7101\\s+127.0.0.1:7201\\s+voter\\s+\\*\\s+20\\s+0\\s+self.*"), lines[1]);
      assertTrue(lines[2].matches("2\\s+.*voter\\s+3\\s+17\\s+LOST ITS LOG.*"), lines[2]);
      assertTrue(lines[3].matches("4\\s+.*learner\\s+20\\s+0\\s+replicate, heard 12 ms ago"), lines[3]);
      assertTrue(table.contains("membership_log_index: 17"), table);

      JsonObject json = new JsonObject(ok("member", "list", "-w", "json", "--server", server).out());
      assertEquals(17, json.getLong("membership_log_index"));
      assertEquals(3, json.getJsonArray("members").size());
      assertEquals(true, json.getJsonArray("members").getJsonObject(1).getBoolean("lost_log"));
      assertEquals("learner", json.getJsonArray("members").getJsonObject(2).getString("role"));
    }
  }

  @Test
  void addLearnerAndRemoveSendTheirRequestAndPrintTheCommittedMembership() throws Exception {
    try (FakeNode node = new FakeNode()
        .answer(AdminServiceGrpcService.AddLearner, r -> COMMITTED)
        .answer(AdminServiceGrpcService.RemoveMember, r -> COMMITTED)) {
      String server = node.start();
      assertEquals("membership: voters=1,2,3,4 learners=5 log_index=42\n",
          ok("member", "add-learner", "5", "127.0.0.1:7105", "127.0.0.1:7205", "--expect-index", "17", "--server", server).out());
      AddLearnerRequest add = (AddLearnerRequest) node.lastRequest;
      assertEquals(5, add.getNodeId());
      assertEquals("127.0.0.1:7105", add.getPeerAddress());
      assertEquals("127.0.0.1:7205", add.getClientAddress());
      assertEquals(17, add.getExpectedMembershipIndex());
      ok("member", "remove", "2", "--server", server);
      RemoveMemberRequest remove = (RemoveMemberRequest) node.lastRequest;
      assertEquals(2, remove.getNodeId());
      assertEquals(0, remove.getExpectedMembershipIndex(), "no --expect-index: any membership");
    }
  }

  @Test
  void promoteAddsTheIdsToTheCurrentVotersAsACompareAndSetOnWhatItRead() throws Exception {
    try (FakeNode node = new FakeNode()
        .answer(AdminServiceGrpcService.Status, r -> leaderStatus())
        .answer(AdminServiceGrpcService.ChangeMembership, r -> COMMITTED)) {
      String server = node.start();
      assertEquals("membership: voters=1,2,3,4 learners=5 log_index=42\n", ok("member", "promote", "4", "--server", server).out());
      ChangeMembershipRequest sent = (ChangeMembershipRequest) node.lastRequest;
      assertEquals(List.of(1L, 2L, 3L, 4L), sent.getVotersList());
      assertEquals(17, sent.getExpectedMembershipIndex());
    }
  }

  @Test
  void promoteRetriesWhileTheLearnerCatchesUpAndGivesUpAfterTheWait() throws Exception {
    try (FakeNode node = new FakeNode()
        .answer(AdminServiceGrpcService.Status, r -> leaderStatus())
        .fail(AdminServiceGrpcService.ChangeMembership, GrpcStatus.FAILED_PRECONDITION,
            "node 4 has not caught up: it holds the log up to index 3")) {
      String server = node.start();
      Result result = run("member", "promote", "4", "--wait-ms", "1200", "--server", server);
      assertEquals(1, result.code());
      assertTrue(result.err().contains("waiting up to 1200 ms"), result.err());
      assertTrue(result.err().contains("error: FAILED_PRECONDITION: node 4 has not caught up"), result.err());
    }
    try (FakeNode node = new FakeNode()
        .answer(AdminServiceGrpcService.Status, r -> leaderStatus())
        .fail(AdminServiceGrpcService.ChangeMembership, GrpcStatus.FAILED_PRECONDITION, "a change is in progress")) {
      Result result = run("member", "promote", "4", "--server", node.start());
      assertEquals(1, result.code());
      assertTrue(result.err().startsWith("error: FAILED_PRECONDITION: a change is in progress"), result.err());
      assertTrue(!result.err().contains("waiting"), "other refusals are not retried: " + result.err());
    }
  }

  @Test
  void badUsageExitsWithTwoBeforeConnecting() {
    for (List<String> words : List.of(List.of("member"), List.of("member", "grow"), List.of("member", "remove"),
        List.of("member", "remove", "0"), List.of("member", "remove", "x"), List.of("member", "promote"),
        List.of("member", "add-learner", "4", "nohost"), List.of("member", "add-learner", "4", "a:1", "bad"),
        List.of("member", "list", "-w", "yaml"), List.of("member", "remove", "3", "--expect-index", "-1"),
        List.of("member", "list", "--expect-index", "3"), List.of("member", "remove", "3", "--wait-ms", "5"))) {
      Result result = run(words.toArray(String[]::new));
      assertEquals(2, result.code(), words + ": " + result.err());
      assertTrue(result.err().startsWith("raftnode: "), result.err());
    }
  }
}
