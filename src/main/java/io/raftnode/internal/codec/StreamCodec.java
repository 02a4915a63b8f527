package io.raftnode.internal.codec;

import static io.raftnode.internal.codec.MsgpackWriter.key;
import static io.raftnode.internal.codec.MsgpackWriter.writeKey;

import io.raftnode.internal.model.StreamAppendResult;
import java.io.IOException;
import org.msgpack.core.MessagePacker;

/**
 * StreamAppendResult as serde writes {@code Result<Option<LogId>, StreamAppendError>}: {@code {"Ok": LogId|nil}},
 * {@code {"Err": {"Conflict": LogId}}}, {@code {"Err": {"HigherVote": Vote}}}.
 */
final class StreamCodec {
  private static final String OK = "Ok";
  private static final String ERR = "Err";
  private static final String CONFLICT = "Conflict";
  private static final String HIGHER_VOTE = "HigherVote";
  private static final byte[] K_OK = key(OK);
  private static final byte[] K_ERR = key(ERR);
  private static final byte[] K_CONFLICT = key(CONFLICT);
  private static final byte[] K_HIGHER_VOTE = key(HIGHER_VOTE);

  private StreamCodec() {}

  static void writeStreamAppendResult(MessagePacker p, StreamAppendResult v) throws IOException {
    p.packMapHeader(1);
    if (v instanceof StreamAppendResult.Ok ok) {
      writeKey(p, K_OK);
      CoreCodec.writeOptionalLogId(p, ok.last());
      return;
    }
    writeKey(p, K_ERR);
    p.packMapHeader(1);
    if (v instanceof StreamAppendResult.Conflict conflict) {
      writeKey(p, K_CONFLICT);
      CoreCodec.writeLogId(p, conflict.hint());
    } else {
      writeKey(p, K_HIGHER_VOTE);
      CoreCodec.writeVote(p, ((StreamAppendResult.HigherVote) v).vote());
    }
  }

  static StreamAppendResult readStreamAppendResult(MsgpackReader r) throws CodecException, IOException {
    EnumTag result = EnumTag.read(r);
    result.requireValue();
    StreamAppendResult v;
    if (OK.equals(result.name)) {
      v = new StreamAppendResult.Ok(CoreCodec.readOptionalLogId(r));
    } else if (ERR.equals(result.name)) {
      v = readError(r);
    } else {
      throw result.unknown();
    }
    result.close();
    return v;
  }

  private static StreamAppendResult readError(MsgpackReader r) throws CodecException, IOException {
    EnumTag error = EnumTag.read(r);
    error.requireValue();
    StreamAppendResult v;
    if (CONFLICT.equals(error.name)) {
      v = new StreamAppendResult.Conflict(CoreCodec.readLogId(r));
    } else if (HIGHER_VOTE.equals(error.name)) {
      v = new StreamAppendResult.HigherVote(CoreCodec.readVote(r));
    } else {
      throw error.unknown();
    }
    error.close();
    return v;
  }
}
