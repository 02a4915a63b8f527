package io.raftnode.internal.codec;

import static io.raftnode.internal.codec.MsgpackWriter.key;
import static io.raftnode.internal.codec.MsgpackWriter.writeKey;

import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.msgpack.core.MessagePacker;

/** The RPC messages: vote and append-entries requests and responses. */
final class MessageCodec {
  private MessageCodec() {}

  private static final byte[] K_VOTE = key("vote");
  private static final byte[] K_LAST_LOG_ID = key("last_log_id");

  private static final String[] VOTE_REQUEST = {"vote", "last_log_id", "leadership_transfer", "pre_vote"};
  private static final byte[] K_LEADERSHIP_TRANSFER = key("leadership_transfer");
  private static final byte[] K_PRE_VOTE = key("pre_vote");

  private static final String[] VOTE_RESPONSE = {"vote", "vote_granted", "last_log_id"};
  private static final byte[] K_VOTE_GRANTED = key("vote_granted");

  private static final String[] APPEND_REQUEST = {"vote", "prev_log_id", "entries", "leader_commit"};
  private static final byte[] K_PREV_LOG_ID = key("prev_log_id");
  private static final byte[] K_ENTRIES = key("entries");
  private static final byte[] K_LEADER_COMMIT = key("leader_commit");

  private static final String SUCCESS = "Success";
  private static final String PARTIAL_SUCCESS = "PartialSuccess";
  private static final String CONFLICT = "Conflict";
  private static final String HIGHER_VOTE = "HigherVote";
  private static final byte[] K_PARTIAL_SUCCESS = key(PARTIAL_SUCCESS);
  private static final byte[] K_CONFLICT = key(CONFLICT);
  private static final byte[] K_HIGHER_VOTE = key(HIGHER_VOTE);

  /** {@code pre_vote} is written only when true, so a real vote request keeps the three-key form older nodes wrote. */
  static void writeVoteRequest(MessagePacker p, VoteRequest v) throws IOException {
    p.packMapHeader(v.preVote() ? 4 : 3);
    writeKey(p, K_VOTE);
    CoreCodec.writeVote(p, v.vote());
    writeKey(p, K_LAST_LOG_ID);
    CoreCodec.writeOptionalLogId(p, v.lastLogId());
    writeKey(p, K_LEADERSHIP_TRANSFER);
    p.packBoolean(v.leadershipTransfer());
    if (v.preVote()) {
      writeKey(p, K_PRE_VOTE);
      p.packBoolean(true);
    }
  }

  static VoteRequest readVoteRequest(MsgpackReader r) throws CodecException, IOException {
    Vote vote = null;
    LogId last = null;
    boolean transfer = false;
    boolean preVote = false;
    StructCursor c = new StructCursor(r, VOTE_REQUEST);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> vote = CoreCodec.readVote(r);
        case 1 -> last = CoreCodec.readOptionalLogId(r);
        case 2 -> transfer = r.readBool();
        default -> preVote = r.readBool();
      }
    }
    c.require(0);
    return new VoteRequest(vote, last, transfer, preVote);
  }

  static void writeVoteResponse(MessagePacker p, VoteResponse v) throws IOException {
    p.packMapHeader(3);
    writeKey(p, K_VOTE);
    CoreCodec.writeVote(p, v.vote());
    writeKey(p, K_VOTE_GRANTED);
    p.packBoolean(v.voteGranted());
    writeKey(p, K_LAST_LOG_ID);
    CoreCodec.writeOptionalLogId(p, v.lastLogId());
  }

  static VoteResponse readVoteResponse(MsgpackReader r) throws CodecException, IOException {
    Vote vote = null;
    boolean granted = false;
    LogId last = null;
    StructCursor c = new StructCursor(r, VOTE_RESPONSE);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> vote = CoreCodec.readVote(r);
        case 1 -> granted = r.readBool();
        default -> last = CoreCodec.readOptionalLogId(r);
      }
    }
    c.require(0, 1);
    return new VoteResponse(vote, granted, last);
  }

  static void writeAppendEntriesRequest(MessagePacker p, AppendEntriesRequest v) throws IOException {
    p.packMapHeader(4);
    writeKey(p, K_VOTE);
    CoreCodec.writeVote(p, v.vote());
    writeKey(p, K_PREV_LOG_ID);
    CoreCodec.writeOptionalLogId(p, v.prevLogId());
    writeKey(p, K_ENTRIES);
    List<Entry> entries = v.entries();
    p.packArrayHeader(entries.size());
    for (int i = 0, n = entries.size(); i < n; i++) EntryCodec.writeEntry(p, entries.get(i));
    writeKey(p, K_LEADER_COMMIT);
    CoreCodec.writeOptionalLogId(p, v.leaderCommit());
  }

  static AppendEntriesRequest readAppendEntriesRequest(MsgpackReader r) throws CodecException, IOException {
    Vote vote = null;
    LogId prev = null;
    List<Entry> entries = null;
    LogId commit = null;
    StructCursor c = new StructCursor(r, APPEND_REQUEST);
    int f;
    while ((f = c.next()) >= 0) {
      switch (f) {
        case 0 -> vote = CoreCodec.readVote(r);
        case 1 -> prev = CoreCodec.readOptionalLogId(r);
        case 2 -> entries = readEntries(r);
        default -> commit = CoreCodec.readOptionalLogId(r);
      }
    }
    c.require(0, 2);
    return new AppendEntriesRequest(vote, prev, entries, commit);
  }

  private static List<Entry> readEntries(MsgpackReader r) throws CodecException, IOException {
    int n = r.readArrayHeader();
    List<Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      r.enterIndex(i);
      entries.add(EntryCodec.readEntryKeepingBytes(r));
      r.leave();
    }
    return entries;
  }

  static void writeAppendEntriesResponse(MessagePacker p, AppendEntriesResponse v) throws IOException {
    if (v instanceof AppendEntriesResponse.PartialSuccess ps) {
      p.packMapHeader(1);
      writeKey(p, K_PARTIAL_SUCCESS);
      CoreCodec.writeOptionalLogId(p, ps.matching());
    } else if (v instanceof AppendEntriesResponse.Conflict cf) {
      // openraft's Conflict is a unit variant; the hint is an extension written only when there is one, so a
      // hintless Conflict stays readable by openraft-compatible peers.
      if (cf.hint() == null) {
        p.packString(CONFLICT);
      } else {
        p.packMapHeader(1);
        writeKey(p, K_CONFLICT);
        CoreCodec.writeLogId(p, cf.hint());
      }
    } else if (v instanceof AppendEntriesResponse.HigherVote hv) {
      p.packMapHeader(1);
      writeKey(p, K_HIGHER_VOTE);
      CoreCodec.writeVote(p, hv.vote());
    } else {
      p.packString(SUCCESS);
    }
  }

  static AppendEntriesResponse readAppendEntriesResponse(MsgpackReader r) throws CodecException, IOException {
    EnumTag tag = EnumTag.read(r);
    AppendEntriesResponse v;
    switch (tag.name) {
      case SUCCESS -> {
        tag.readUnit();
        v = AppendEntriesResponse.Success.INSTANCE;
      }
      case PARTIAL_SUCCESS -> {
        tag.requireValue();
        v = new AppendEntriesResponse.PartialSuccess(CoreCodec.readOptionalLogId(r));
      }
      case CONFLICT -> v = new AppendEntriesResponse.Conflict(tag.hasValue ? CoreCodec.readOptionalLogId(r) : null);
      case HIGHER_VOTE -> {
        tag.requireValue();
        v = new AppendEntriesResponse.HigherVote(CoreCodec.readVote(r));
      }
      default -> throw tag.unknown();
    }
    tag.close();
    return v;
  }
}
