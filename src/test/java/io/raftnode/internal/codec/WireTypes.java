package io.raftnode.internal.codec;

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

  static final Map<String, Decoder> DECODERS = Map.ofEntries(
      Map.entry("LeaderId", RaftCodec::decodeLeaderId),
      Map.entry("Vote", RaftCodec::decodeVote),
      Map.entry("LogId", RaftCodec::decodeLogId),
      Map.entry("Entry", RaftCodec::decodeEntry),
      Map.entry("Membership", RaftCodec::decodeMembership),
      Map.entry("VoteRequest", RaftCodec::decodeVoteRequest),
      Map.entry("VoteResponse", RaftCodec::decodeVoteResponse),
      Map.entry("AppendEntriesRequest", RaftCodec::decodeAppendEntriesRequest),
      Map.entry("AppendEntriesResponse", RaftCodec::decodeAppendEntriesResponse),
      Map.entry("StreamAppendResult", RaftCodec::decodeStreamAppendResult),
      Map.entry("TransferLeaderRequest", RaftCodec::decodeTransferLeaderRequest),
      Map.entry("ReadIndexRequest", RaftCodec::decodeReadIndexRequest),
      Map.entry("ReadIndexResponse", RaftCodec::decodeReadIndexResponse),
      Map.entry("SnapshotMeta", RaftCodec::decodeSnapshotMeta),
      Map.entry("SnapshotMessage", RaftCodec::decodeSnapshotMessage),
      Map.entry("SnapshotResponse", RaftCodec::decodeSnapshotResponse));

  static final Map<String, Encoder> ENCODERS = Map.ofEntries(
      Map.entry("LeaderId", v -> RaftCodec.encodeLeaderId((io.raftnode.internal.model.LeaderId) v)),
      Map.entry("Vote", v -> RaftCodec.encodeVote((io.raftnode.internal.model.Vote) v)),
      Map.entry("LogId", v -> RaftCodec.encodeLogId((io.raftnode.internal.model.LogId) v)),
      Map.entry("Entry", v -> RaftCodec.encodeEntry((io.raftnode.internal.model.Entry) v)),
      Map.entry("Membership", v -> RaftCodec.encodeMembership((io.raftnode.internal.model.Membership) v)),
      Map.entry("VoteRequest", v -> RaftCodec.encodeVoteRequest((io.raftnode.internal.model.VoteRequest) v)),
      Map.entry("VoteResponse", v -> RaftCodec.encodeVoteResponse((io.raftnode.internal.model.VoteResponse) v)),
      Map.entry("AppendEntriesRequest",
          v -> RaftCodec.encodeAppendEntriesRequest((io.raftnode.internal.model.AppendEntriesRequest) v)),
      Map.entry("AppendEntriesResponse",
          v -> RaftCodec.encodeAppendEntriesResponse((io.raftnode.internal.model.AppendEntriesResponse) v)),
      Map.entry("StreamAppendResult",
          v -> RaftCodec.encodeStreamAppendResult((io.raftnode.internal.model.StreamAppendResult) v)),
      Map.entry("TransferLeaderRequest",
          v -> RaftCodec.encodeTransferLeaderRequest((io.raftnode.internal.model.TransferLeaderRequest) v)),
      Map.entry("ReadIndexRequest", v -> RaftCodec.encodeReadIndexRequest((io.raftnode.internal.model.ReadIndexRequest) v)),
      Map.entry("ReadIndexResponse", v -> RaftCodec.encodeReadIndexResponse((io.raftnode.internal.model.ReadIndexResponse) v)),
      Map.entry("SnapshotMeta", v -> RaftCodec.encodeSnapshotMeta((io.raftnode.internal.model.SnapshotMeta) v)),
      Map.entry("SnapshotMessage", v -> RaftCodec.encodeSnapshotMessage((io.raftnode.internal.model.SnapshotMessage) v)),
      Map.entry("SnapshotResponse", v -> RaftCodec.encodeSnapshotResponse((io.raftnode.internal.model.SnapshotResponse) v)));
}
