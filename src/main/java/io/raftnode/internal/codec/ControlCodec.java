package io.raftnode.internal.codec;

import static io.raftnode.internal.codec.MsgpackWriter.key;
import static io.raftnode.internal.codec.MsgpackWriter.writeKey;
import static io.raftnode.internal.codec.MsgpackWriter.writeU64;

import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.ReadIndexRequest;
import io.raftnode.internal.model.ReadIndexResponse;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.Vote;
import java.io.IOException;
import org.msgpack.core.MessagePacker;

/** The leadership and read messages: TransferLeaderRequest, and ReadIndexRequest / ReadIndexResponse. */
final class ControlCodec {
  private ControlCodec() {}

  private static final String[] TRANSFER = {"from_leader", "to_node_id", "last_log_id"};
  private static final byte[] K_FROM_LEADER = key("from_leader");
  private static final byte[] K_TO_NODE_ID = key("to_node_id");
  private static final byte[] K_LAST_LOG_ID = key("last_log_id");

  private static final String[] READ_INDEX_REQUEST = {"from"};
  private static final byte[] K_FROM = key("from");

  private static final String[] READ_INDEX_RESPONSE = {"read_index", "leader_vote"};
  private static final byte[] K_READ_INDEX = key("read_index");
  private static final byte[] K_LEADER_VOTE = key("leader_vote");

  static void writeTransferLeaderRequest(MessagePacker p, TransferLeaderRequest v) throws IOException {
    p.packMapHeader(3);
    writeKey(p, K_FROM_LEADER);
    CoreCodec.writeVote(p, v.fromLeader());
    writeKey(p, K_TO_NODE_ID);
    writeU64(p, v.toNodeId(), "to_node_id");
    writeKey(p, K_LAST_LOG_ID);
    CoreCodec.writeOptionalLogId(p, v.lastLogId());
  }

  static TransferLeaderRequest readTransferLeaderRequest(MsgpackReader r) throws CodecException, IOException {
    Vote from = null;
    long to = 0;
    LogId last = null;
    StructCursor c = new StructCursor(r, TRANSFER);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> from = CoreCodec.readVote(r);
        case 1 -> to = r.readU64();
        default -> last = CoreCodec.readOptionalLogId(r);
      }
    }
    c.require(0, 1);
    return new TransferLeaderRequest(from, to, last);
  }

  static void writeReadIndexRequest(MessagePacker p, ReadIndexRequest v) throws IOException {
    p.packMapHeader(1);
    writeKey(p, K_FROM);
    writeU64(p, v.from(), "from");
  }

  static ReadIndexRequest readReadIndexRequest(MsgpackReader r) throws CodecException, IOException {
    long from = 0;
    StructCursor c = new StructCursor(r, READ_INDEX_REQUEST);
    while (c.next() >= 0) from = r.readU64();
    c.require(0);
    return new ReadIndexRequest(from);
  }

  static void writeReadIndexResponse(MessagePacker p, ReadIndexResponse v) throws IOException {
    p.packMapHeader(2);
    writeKey(p, K_READ_INDEX);
    writeU64(p, v.readIndex(), "read_index");
    writeKey(p, K_LEADER_VOTE);
    CoreCodec.writeVote(p, v.leaderVote());
  }

  static ReadIndexResponse readReadIndexResponse(MsgpackReader r) throws CodecException, IOException {
    long index = 0;
    Vote vote = null;
    StructCursor c = new StructCursor(r, READ_INDEX_RESPONSE);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> index = r.readU64();
        default -> vote = CoreCodec.readVote(r);
      }
    }
    c.require(0, 1);
    return new ReadIndexResponse(index, vote);
  }
}
