package io.raftnode.node;

import io.raftnode.codec.CodecException;
import io.raftnode.codec.RaftCodec;
import io.raftnode.core.EntryPacking;
import io.raftnode.model.Entry;

/**
 * Packs log entries in their msgpack form, the one they are stored and sent in: an entry that already knows its
 * bytes is not encoded again, and an unpacked entry keeps its bytes, ready to be sent.
 */
public final class MsgpackEntryPacking implements EntryPacking {
  public static final MsgpackEntryPacking INSTANCE = new MsgpackEntryPacking();

  private MsgpackEntryPacking() {}

  @Override
  public byte[] encode(Entry entry) {
    return RaftCodec.encodeEntry(entry);
  }

  @Override
  public Entry decode(byte[] bytes) {
    try {
      return RaftCodec.decodeEntry(bytes);
    } catch (CodecException e) {
      // The bytes were encoded by this process a moment ago; failing to read them back is a bug, not bad input.
      throw new IllegalStateException("a packed log entry does not decode", e);
    }
  }
}
