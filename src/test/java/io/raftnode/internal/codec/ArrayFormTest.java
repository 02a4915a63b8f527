package io.raftnode.internal.codec;

import static io.raftnode.internal.codec.Msgpack.build;
import static io.raftnode.internal.codec.Msgpack.leaderIdArray;
import static io.raftnode.internal.codec.Msgpack.logIdArray;
import static io.raftnode.internal.codec.Msgpack.voteArray;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LeaderId;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Structs written as field-ordered arrays, as serde's compact msgpack form writes them. */
class ArrayFormTest {
  @Test
  void coreStructs() throws Exception {
    assertEquals(new LeaderId(3, 1), RaftCodec.decodeLeaderId(build(p -> leaderIdArray(p, 3, 1))));
    assertEquals(GoldenVectors.VOTE_3_1, RaftCodec.decodeVote(build(p -> voteArray(p, 3, 1, true))));
    assertEquals(GoldenVectors.LOG_3_1_42, RaftCodec.decodeLogId(build(p -> logIdArray(p, 3, 1, 42))));
  }

  @Test
  void entriesWithEachPayload() throws Exception {
    byte[] blank = build(p -> {
      p.packArrayHeader(2);
      logIdArray(p, 1, 1, 1);
      p.packString("Blank");
    });
    assertEquals(new Entry(LogId.of(1, 1, 1), EntryPayload.Blank.INSTANCE), RaftCodec.decodeEntry(blank));

    byte[] normal = build(p -> {
      p.packArrayHeader(2);
      logIdArray(p, 1, 1, 2);
      p.packMapHeader(1).packString("Normal").packBinaryHeader(3).writePayload(new byte[] {1, 2, 3});
    });
    assertEquals(new Entry(LogId.of(1, 1, 2), new EntryPayload.Normal(new byte[] {1, 2, 3})),
        RaftCodec.decodeEntry(normal));

    byte[] membership = build(p -> {
      p.packArrayHeader(2);
      logIdArray(p, 1, 1, 3);
      p.packMapHeader(1).packString("Membership");
      p.packArrayHeader(2);
      p.packArrayHeader(1).packArrayHeader(1).packLong(1);
      p.packMapHeader(1).packLong(1).packArrayHeader(2).packString("10.0.0.1:7001").packString("10.0.0.1:8001");
    });
    assertEquals(new Entry(LogId.of(1, 1, 3), new EntryPayload.MembershipChange(GoldenVectors.SINGLE)),
        RaftCodec.decodeEntry(membership));
  }

  @Test
  void jointMembershipWithNodesAsArrays() throws Exception {
    byte[] bytes = build(p -> {
      p.packArrayHeader(2);
      p.packArrayHeader(2);
      p.packArrayHeader(3).packLong(1).packLong(2).packLong(3);
      p.packArrayHeader(2).packLong(3).packLong(4);
      p.packMapHeader(5);
      for (int i = 1; i <= 4; i++) p.packLong(i).packArrayHeader(2).packString("n" + i + ":7001").packString("n" + i + ":8001");
      p.packLong(5).packArrayHeader(1).packString("n5:7001"); // client_address left out: defaults to ""
    });
    assertEquals(GoldenVectors.JOINT, RaftCodec.decodeMembership(bytes));
  }

  @Test
  void voteRequestMissingTrailingFieldsTakeDefaults() throws Exception {
    byte[] full = build(p -> {
      p.packArrayHeader(3);
      voteArray(p, 4, 2, false);
      logIdArray(p, 3, 1, 42);
      p.packBoolean(true);
    });
    assertEquals(new VoteRequest(Vote.of(4, 2, false), GoldenVectors.LOG_3_1_42, true),
        RaftCodec.decodeVoteRequest(full));

    byte[] noTransfer = build(p -> {
      p.packArrayHeader(2);
      voteArray(p, 4, 2, false);
      logIdArray(p, 3, 1, 42);
    });
    assertEquals(new VoteRequest(Vote.of(4, 2, false), GoldenVectors.LOG_3_1_42, false),
        RaftCodec.decodeVoteRequest(noTransfer));

    byte[] voteOnly = build(p -> {
      p.packArrayHeader(1);
      voteArray(p, 4, 2, false);
    });
    assertEquals(new VoteRequest(Vote.of(4, 2, false), null, false), RaftCodec.decodeVoteRequest(voteOnly));

    byte[] preVote = build(p -> {
      p.packArrayHeader(4);
      voteArray(p, 4, 2, false);
      p.packNil();
      p.packBoolean(false);
      p.packBoolean(true);
    });
    assertEquals(new VoteRequest(Vote.of(4, 2, false), null, false, true), RaftCodec.decodeVoteRequest(preVote));
  }

  @Test
  void transferLeaderRequestArrayWithoutLastLogId() throws Exception {
    byte[] bytes = build(p -> {
      p.packArrayHeader(2);
      voteArray(p, 3, 1, true);
      p.packLong(2);
    });
    assertEquals(new io.raftnode.internal.model.TransferLeaderRequest(Vote.of(3, 1, true), 2, null),
        RaftCodec.decodeTransferLeaderRequest(bytes));
  }

  @Test
  void voteResponse() throws Exception {
    byte[] bytes = build(p -> {
      p.packArrayHeader(3);
      voteArray(p, 4, 2, false);
      p.packBoolean(true);
      logIdArray(p, 3, 1, 42);
    });
    assertEquals(new VoteResponse(Vote.of(4, 2, false), true, GoldenVectors.LOG_3_1_42),
        RaftCodec.decodeVoteResponse(bytes));
  }

  @Test
  void appendEntriesRequestWithNilsAndEntries() throws Exception {
    byte[] heartbeat = build(p -> {
      p.packArrayHeader(4);
      voteArray(p, 3, 1, true);
      p.packNil();
      p.packArrayHeader(0);
      p.packNil();
    });
    assertEquals(new AppendEntriesRequest(GoldenVectors.VOTE_3_1, null, List.of(), null),
        RaftCodec.decodeAppendEntriesRequest(heartbeat));

    byte[] withEntries = build(p -> {
      p.packArrayHeader(3); // leader_commit left out: nil
      voteArray(p, 3, 1, true);
      logIdArray(p, 2, 2, 41);
      p.packArrayHeader(1).packArrayHeader(2);
      logIdArray(p, 3, 1, 42);
      p.packString("Blank");
    });
    assertEquals(new AppendEntriesRequest(GoldenVectors.VOTE_3_1, LogId.of(2, 2, 41),
            List.of(new Entry(GoldenVectors.LOG_3_1_42, EntryPayload.Blank.INSTANCE)), null),
        RaftCodec.decodeAppendEntriesRequest(withEntries));
  }

  @Test
  void extraTrailingArrayElementsAreSkipped() throws Exception {
    byte[] bytes = build(p -> {
      p.packArrayHeader(4).packLong(3).packLong(1);
      p.packMapHeader(1).packString("future").packArrayHeader(2).packNil().packDouble(1.5);
      p.packString("more");
    });
    assertEquals(new LeaderId(3, 1), RaftCodec.decodeLeaderId(bytes));
  }

  @Test
  void missingRequiredTrailingFieldIsAnError() {
    CodecException e = assertThrows(CodecException.class,
        () -> RaftCodec.decodeVote(build(p -> {
          p.packArrayHeader(1);
          leaderIdArray(p, 3, 1);
        })));
    assertEquals("Vote: missing field \"committed\"", e.getMessage());

    CodecException e2 = assertThrows(CodecException.class,
        () -> RaftCodec.decodeAppendEntriesRequest(build(p -> {
          p.packArrayHeader(2);
          voteArray(p, 3, 1, true);
          p.packNil();
        })));
    assertTrue(e2.getMessage().contains("missing field \"entries\""), e2.getMessage());
  }
}
