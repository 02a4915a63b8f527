package io.raftnode.internal.codec;

import static io.raftnode.internal.codec.Msgpack.build;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftnode.internal.model.LeaderId;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePacker;

/** Newer nodes may add keys; older readers must skip them whatever their value, and accept any key order. */
class UnknownKeysTest {
  /** A value exercising every msgpack type, nested. */
  private static void strangeValue(MessagePacker p) throws IOException {
    p.packMapHeader(3);
    p.packString("list").packArrayHeader(4).packNil().packBoolean(true).packDouble(2.5).packLong(-7);
    p.packLong(99).packMapHeader(1).packBinaryHeader(2).writePayload(new byte[] {9, 9}).packArrayHeader(0);
    p.packString("ext").packExtensionTypeHeader((byte) 5, 3).writePayload(new byte[] {1, 2, 3});
  }

  @Test
  void skipsUnknownKeysAnywhereInTheMap() throws Exception {
    byte[] bytes = build(p -> {
      p.packMapHeader(5);
      p.packString("zeta");
      strangeValue(p);
      p.packString("node_id").packLong(1);
      p.packString("extra").packString("ignored");
      p.packString("term").packLong(3);
      p.packString("last").packArrayHeader(1).packArrayHeader(1).packMapHeader(0);
    });
    assertEquals(new LeaderId(3, 1), RaftCodec.decodeLeaderId(bytes));
  }

  @Test
  void skipsUnknownKeysInNestedStructs() throws Exception {
    byte[] bytes = build(p -> {
      p.packMapHeader(4);
      p.packString("leadership_transfer").packBoolean(true);
      p.packString("last_log_id").packMapHeader(3);
      p.packString("index").packLong(42);
      p.packString("checksum").packBinaryHeader(4).writePayload(new byte[] {1, 2, 3, 4});
      p.packString("leader_id").packMapHeader(3).packString("term").packLong(3).packString("node_id").packLong(1);
      p.packString("flavor");
      strangeValue(p);
      p.packString("priority").packLong(7);
      p.packString("vote").packMapHeader(2).packString("committed").packBoolean(false)
          .packString("leader_id").packArrayHeader(3).packLong(4).packLong(2).packString("extra element");
    });
    assertEquals(new VoteRequest(Vote.of(4, 2, false), LogId.of(3, 1, 42), true),
        RaftCodec.decodeVoteRequest(bytes));
  }

  private static final java.util.Set<String> ENUMS =
      java.util.Set.of("AppendEntriesResponse", "StreamAppendResult", "SnapshotMessage");

  @Test
  void goldenVectorPlusAnUnknownKeyDecodesToTheSameValue() throws Exception {
    for (GoldenVectors.Vector v : GoldenVectors.ALL) {
      byte[] golden = Msgpack.hex(v.hex());
      if ((golden[0] & 0xf0) != 0x80 || ENUMS.contains(v.type())) {
        continue; // structs only
      }
      // Bump the fixmap count and append one more entry at the end.
      byte[] extra = build(p -> p.packString("added_later").packArrayHeader(2).packNil().packMapHeader(0));
      byte[] bytes = new byte[golden.length + extra.length];
      System.arraycopy(golden, 0, bytes, 0, golden.length);
      System.arraycopy(extra, 0, bytes, golden.length, extra.length);
      bytes[0]++;
      assertEquals(v.value(), WireTypes.DECODERS.get(v.type()).decode(bytes), v.type());
    }
  }
}
