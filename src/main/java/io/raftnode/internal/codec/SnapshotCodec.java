package io.raftnode.internal.codec;

import static io.raftnode.internal.codec.MsgpackWriter.key;
import static io.raftnode.internal.codec.MsgpackWriter.writeKey;
import static io.raftnode.internal.codec.MsgpackWriter.writeU64;

import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.SnapshotMessage;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.model.Vote;
import java.io.IOException;
import org.msgpack.core.MessagePacker;

/** SnapshotMeta, StoredMembership, the messages of a Snapshot stream and its response. */
final class SnapshotCodec {
  private SnapshotCodec() {}

  private static final String[] STORED_MEMBERSHIP = {"log_id", "membership"};
  private static final byte[] K_LOG_ID = key("log_id");
  private static final byte[] K_MEMBERSHIP = key("membership");

  private static final String[] META = {"last_log_id", "last_membership", "snapshot_id"};
  private static final byte[] K_LAST_LOG_ID = key("last_log_id");
  private static final byte[] K_LAST_MEMBERSHIP = key("last_membership");
  private static final byte[] K_SNAPSHOT_ID = key("snapshot_id");

  private static final String META_VARIANT = "Meta";
  private static final String CHUNK_VARIANT = "Chunk";
  private static final String DONE_VARIANT = "Done";
  private static final String[] META_MESSAGE = {"vote", "meta", "size"};
  private static final String[] CHUNK_MESSAGE = {"offset", "data"};
  private static final String[] DONE_MESSAGE = {"checksum"};
  private static final byte[] K_VOTE = key("vote");
  private static final byte[] K_META = key("meta");
  private static final byte[] K_SIZE = key("size");
  private static final byte[] K_OFFSET = key("offset");
  private static final byte[] K_DATA = key("data");
  private static final byte[] K_CHECKSUM = key("checksum");
  private static final String[] RESPONSE = {"vote"};

  static void writeStoredMembership(MessagePacker p, StoredMembership v) throws IOException {
    p.packMapHeader(2);
    writeKey(p, K_LOG_ID);
    CoreCodec.writeOptionalLogId(p, v.logId());
    writeKey(p, K_MEMBERSHIP);
    EntryCodec.writeMembership(p, v.membership());
  }

  static StoredMembership readStoredMembership(MsgpackReader r) throws CodecException, IOException {
    LogId logId = null;
    Membership membership = null;
    StructCursor c = new StructCursor(r, STORED_MEMBERSHIP);
    int f;
    while ((f = c.next()) >= 0) {
      if (f == 0) logId = CoreCodec.readOptionalLogId(r);
      else membership = EntryCodec.readMembership(r);
    }
    c.require(1);
    return new StoredMembership(logId, membership);
  }

  static void writeMeta(MessagePacker p, SnapshotMeta v) throws IOException {
    p.packMapHeader(3);
    writeKey(p, K_LAST_LOG_ID);
    CoreCodec.writeOptionalLogId(p, v.lastLogId());
    writeKey(p, K_LAST_MEMBERSHIP);
    writeStoredMembership(p, v.lastMembership());
    writeKey(p, K_SNAPSHOT_ID);
    p.packString(v.snapshotId());
  }

  static SnapshotMeta readMeta(MsgpackReader r) throws CodecException, IOException {
    LogId last = null;
    StoredMembership membership = null;
    String id = null;
    StructCursor c = new StructCursor(r, META);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> last = CoreCodec.readOptionalLogId(r);
        case 1 -> membership = readStoredMembership(r);
        default -> id = r.readString();
      }
    }
    c.require(1, 2);
    return new SnapshotMeta(last, membership, id);
  }

  static void writeMessage(MessagePacker p, SnapshotMessage v) throws IOException {
    p.packMapHeader(1);
    if (v instanceof SnapshotMessage.Meta m) {
      p.packString(META_VARIANT).packMapHeader(3);
      writeKey(p, K_VOTE);
      CoreCodec.writeVote(p, m.vote());
      writeKey(p, K_META);
      writeMeta(p, m.meta());
      writeKey(p, K_SIZE);
      writeU64(p, m.size(), "size");
    } else if (v instanceof SnapshotMessage.Chunk chunk) {
      p.packString(CHUNK_VARIANT).packMapHeader(2);
      writeKey(p, K_OFFSET);
      writeU64(p, chunk.offset(), "offset");
      writeKey(p, K_DATA);
      p.packBinaryHeader(chunk.data().length).writePayload(chunk.data());
    } else {
      p.packString(DONE_VARIANT).packMapHeader(1);
      writeKey(p, K_CHECKSUM);
      writeU64(p, ((SnapshotMessage.Done) v).checksum(), "checksum");
    }
  }

  static SnapshotMessage readMessage(MsgpackReader r) throws CodecException, IOException {
    EnumTag tag = EnumTag.read(r);
    tag.requireValue();
    SnapshotMessage v = switch (tag.name) {
      case META_VARIANT -> readMetaMessage(r);
      case CHUNK_VARIANT -> readChunk(r);
      case DONE_VARIANT -> readDone(r);
      default -> throw tag.unknown();
    };
    tag.close();
    return v;
  }

  private static SnapshotMessage readMetaMessage(MsgpackReader r) throws CodecException, IOException {
    Vote vote = null;
    SnapshotMeta meta = null;
    long size = 0;
    StructCursor c = new StructCursor(r, META_MESSAGE);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> vote = CoreCodec.readVote(r);
        case 1 -> meta = readMeta(r);
        default -> size = r.readU64();
      }
    }
    c.require(0, 1, 2);
    return new SnapshotMessage.Meta(vote, meta, size);
  }

  private static SnapshotMessage readChunk(MsgpackReader r) throws CodecException, IOException {
    long offset = 0;
    byte[] data = null;
    StructCursor c = new StructCursor(r, CHUNK_MESSAGE);
    int f;
    while ((f = c.next()) >= 0) {
      if (f == 0) offset = r.readU64();
      else data = r.readBin();
    }
    c.require(0, 1);
    return new SnapshotMessage.Chunk(offset, data);
  }

  private static SnapshotMessage readDone(MsgpackReader r) throws CodecException, IOException {
    long checksum = 0;
    StructCursor c = new StructCursor(r, DONE_MESSAGE);
    while (c.next() >= 0) checksum = r.readU64();
    c.require(0);
    return new SnapshotMessage.Done(checksum);
  }

  static void writeResponse(MessagePacker p, SnapshotResponse v) throws IOException {
    p.packMapHeader(1);
    writeKey(p, K_VOTE);
    CoreCodec.writeVote(p, v.vote());
  }

  static SnapshotResponse readResponse(MsgpackReader r) throws CodecException, IOException {
    Vote vote = null;
    StructCursor c = new StructCursor(r, RESPONSE);
    while (c.next() >= 0) vote = CoreCodec.readVote(r);
    c.require(0);
    return new SnapshotResponse(vote);
  }
}
