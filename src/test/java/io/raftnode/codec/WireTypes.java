package io.raftnode.codec;

import java.util.Map;

/** Encoder and decoder of each top-level type by its schema name, so tests can iterate over all of them. */
final class WireTypes {
  private WireTypes() {}

  interface Decoder {
    Object decode(byte[] bytes) throws CodecException;
  }

  interface Encoder {
    byte[] encode(Object value);
  }

  static final Map<String, Decoder> DECODERS = Map.of(
      "LeaderId", RaftCodec::decodeLeaderId,
      "Vote", RaftCodec::decodeVote,
      "LogId", RaftCodec::decodeLogId,
      "Entry", RaftCodec::decodeEntry,
      "Membership", RaftCodec::decodeMembership,
      "VoteRequest", RaftCodec::decodeVoteRequest,
      "VoteResponse", RaftCodec::decodeVoteResponse,
      "AppendEntriesRequest", RaftCodec::decodeAppendEntriesRequest,
      "AppendEntriesResponse", RaftCodec::decodeAppendEntriesResponse);

  static final Map<String, Encoder> ENCODERS = Map.of(
      "LeaderId", v -> RaftCodec.encodeLeaderId((io.raftnode.model.LeaderId) v),
      "Vote", v -> RaftCodec.encodeVote((io.raftnode.model.Vote) v),
      "LogId", v -> RaftCodec.encodeLogId((io.raftnode.model.LogId) v),
      "Entry", v -> RaftCodec.encodeEntry((io.raftnode.model.Entry) v),
      "Membership", v -> RaftCodec.encodeMembership((io.raftnode.model.Membership) v),
      "VoteRequest", v -> RaftCodec.encodeVoteRequest((io.raftnode.model.VoteRequest) v),
      "VoteResponse", v -> RaftCodec.encodeVoteResponse((io.raftnode.model.VoteResponse) v),
      "AppendEntriesRequest", v -> RaftCodec.encodeAppendEntriesRequest((io.raftnode.model.AppendEntriesRequest) v),
      "AppendEntriesResponse",
          v -> RaftCodec.encodeAppendEntriesResponse((io.raftnode.model.AppendEntriesResponse) v));
}
