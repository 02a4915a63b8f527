package io.raftnode.codec;

import io.raftnode.model.AppendEntriesRequest;
import io.raftnode.model.AppendEntriesResponse;
import io.raftnode.model.Entry;
import io.raftnode.model.Vote;
import io.raftnode.model.VoteRequest;
import io.raftnode.model.VoteResponse;

/**
 * msgpack encodings of the Raft types carried in RaftPayload.data; docs/PROTOCOL.md is the schema.
 * Encoders write structs as maps with snake_case keys; decoders also accept field-ordered arrays and skip unknown
 * keys. Decoders never throw anything but {@link CodecException} on malformed input.
 */
public final class RaftCodec {
  private RaftCodec() {}

  public static byte[] encodeVoteRequest(VoteRequest value) { throw new IllegalStateException("not yet written"); }

  public static VoteRequest decodeVoteRequest(byte[] bytes) throws CodecException { throw new IllegalStateException("not yet written"); }

  public static byte[] encodeVoteResponse(VoteResponse value) { throw new IllegalStateException("not yet written"); }

  public static VoteResponse decodeVoteResponse(byte[] bytes) throws CodecException { throw new IllegalStateException("not yet written"); }

  public static byte[] encodeAppendEntriesRequest(AppendEntriesRequest value) { throw new IllegalStateException("not yet written"); }

  public static AppendEntriesRequest decodeAppendEntriesRequest(byte[] bytes) throws CodecException { throw new IllegalStateException("not yet written"); }

  public static byte[] encodeAppendEntriesResponse(AppendEntriesResponse value) { throw new IllegalStateException("not yet written"); }

  public static AppendEntriesResponse decodeAppendEntriesResponse(byte[] bytes) throws CodecException { throw new IllegalStateException("not yet written"); }

  public static byte[] encodeEntry(Entry value) { throw new IllegalStateException("not yet written"); }

  public static Entry decodeEntry(byte[] bytes) throws CodecException { throw new IllegalStateException("not yet written"); }

  public static byte[] encodeVote(Vote value) { throw new IllegalStateException("not yet written"); }

  public static Vote decodeVote(byte[] bytes) throws CodecException { throw new IllegalStateException("not yet written"); }
}
