package io.raftnode.internal.storage;

import io.raftnode.internal.codec.CodecException;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.Vote;

/**
 * Turns a value into the bytes a storage record carries and back. Production stores use {@link RaftCodec} so the
 * disk and the wire share one encoding; the seam exists so the stores can be tested independently of the codec.
 */
interface RecordSerializer<T> {

  byte[] encode(T value);

  /** Throws CodecException, and nothing else, when {@code bytes} are not a valid encoding. */
  T decode(byte[] bytes) throws CodecException;

  static RecordSerializer<Entry> raftCodecEntries() {
    return new RecordSerializer<>() {
      @Override
      public byte[] encode(Entry value) {
        return RaftCodec.encodeEntry(value);
      }

      @Override
      public Entry decode(byte[] bytes) throws CodecException {
        return RaftCodec.decodeEntry(bytes);
      }
    };
  }

  static RecordSerializer<Vote> raftCodecVotes() {
    return new RecordSerializer<>() {
      @Override
      public byte[] encode(Vote value) {
        return RaftCodec.encodeVote(value);
      }

      @Override
      public Vote decode(byte[] bytes) throws CodecException {
        return RaftCodec.decodeVote(bytes);
      }
    };
  }
}
