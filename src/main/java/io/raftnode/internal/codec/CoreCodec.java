package io.raftnode.internal.codec;

import static io.raftnode.internal.codec.MsgpackWriter.key;
import static io.raftnode.internal.codec.MsgpackWriter.writeKey;
import static io.raftnode.internal.codec.MsgpackWriter.writeU64;

import io.raftnode.internal.model.LeaderId;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import java.io.IOException;
import org.msgpack.core.MessagePacker;

/** LeaderId, Vote and LogId: the small structs every message embeds. */
final class CoreCodec {
  private CoreCodec() {}

  private static final String[] LEADER_ID = {"term", "node_id"};
  private static final byte[] K_TERM = key("term");
  private static final byte[] K_NODE_ID = key("node_id");

  private static final String[] VOTE = {"leader_id", "committed"};
  private static final byte[] K_LEADER_ID = key("leader_id");
  private static final byte[] K_COMMITTED = key("committed");

  private static final String[] LOG_ID = {"leader_id", "index"};
  private static final byte[] K_INDEX = key("index");

  static void writeLeaderId(MessagePacker p, LeaderId v) throws IOException {
    p.packMapHeader(2);
    writeKey(p, K_TERM);
    writeU64(p, v.term(), "term");
    writeKey(p, K_NODE_ID);
    writeU64(p, v.nodeId(), "node_id");
  }

  static LeaderId readLeaderId(MsgpackReader r) throws CodecException, IOException {
    long term = 0, nodeId = 0;
    StructCursor c = new StructCursor(r, LEADER_ID);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> term = r.readU64();
        default -> nodeId = r.readU64();
      }
    }
    c.require(0, 1);
    return new LeaderId(term, nodeId);
  }

  static void writeVote(MessagePacker p, Vote v) throws IOException {
    p.packMapHeader(2);
    writeKey(p, K_LEADER_ID);
    writeLeaderId(p, v.leaderId());
    writeKey(p, K_COMMITTED);
    p.packBoolean(v.committed());
  }

  static Vote readVote(MsgpackReader r) throws CodecException, IOException {
    LeaderId leaderId = null;
    boolean committed = false;
    StructCursor c = new StructCursor(r, VOTE);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> leaderId = readLeaderId(r);
        default -> committed = r.readBool();
      }
    }
    c.require(0, 1);
    return new Vote(leaderId, committed);
  }

  static void writeLogId(MessagePacker p, LogId v) throws IOException {
    p.packMapHeader(2);
    writeKey(p, K_LEADER_ID);
    writeLeaderId(p, v.leaderId());
    writeKey(p, K_INDEX);
    writeU64(p, v.index(), "index");
  }

  /** An Option&lt;LogId&gt;: nil for null. */
  static void writeOptionalLogId(MessagePacker p, LogId v) throws IOException {
    if (v == null) p.packNil();
    else writeLogId(p, v);
  }

  static LogId readLogId(MsgpackReader r) throws CodecException, IOException {
    LeaderId leaderId = null;
    long index = 0;
    StructCursor c = new StructCursor(r, LOG_ID);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> leaderId = readLeaderId(r);
        default -> index = r.readU64();
      }
    }
    c.require(0, 1);
    return new LogId(r.shared(leaderId), index);
  }

  static LogId readOptionalLogId(MsgpackReader r) throws CodecException, IOException {
    return r.readNilIfPresent() ? null : readLogId(r);
  }
}
