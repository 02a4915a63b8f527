package io.raftnode.internal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.Vote;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production wiring: DataDir.open with RaftCodec encoding entries and votes on disk. */
class FileStoresWithRaftCodecTest {
  @TempDir Path dir;

  @Test
  void entriesAndVoteRoundTripThroughRaftCodec() throws IOException {
    Membership membership =
        Membership.ofVoters(Map.of(1L, new Node("h1:7001", "h1:8001"), 2L, new Node("h2:7001", "")));
    List<Entry> log =
        List.of(
            new Entry(LogId.of(1, 1, 1), new EntryPayload.MembershipChange(membership)),
            new Entry(LogId.of(2, 2, 2), EntryPayload.Blank.INSTANCE),
            new Entry(LogId.of(2, 2, 3), new EntryPayload.Normal(new byte[] {1, 2, 3})));
    try (DataDir dataDir = DataDir.open(dir)) {
      dataDir.logStore().append(0, log);
      dataDir.logStore().append(3, List.of(new Entry(LogId.of(3, 1, 3), new EntryPayload.Normal(new byte[] {4}))));
      dataDir.voteStore().save(Vote.of(3, 1, true));
    }
    try (DataDir dataDir = DataDir.open(dir)) {
      assertEquals(
          List.of(log.get(0), log.get(1), new Entry(LogId.of(3, 1, 3), new EntryPayload.Normal(new byte[] {4}))),
          dataDir.logStore().loadFrom(1).entries());
      assertEquals(Vote.of(3, 1, true), dataDir.voteStore().load());
    }
  }
}
