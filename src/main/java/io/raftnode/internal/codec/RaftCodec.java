package io.raftnode.internal.codec;


import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.LeaderId;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.ReadIndexRequest;
import io.raftnode.internal.model.ReadIndexResponse;
import io.raftnode.internal.model.SnapshotMessage;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.StreamAppendResult;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * msgpack encodings of the Raft types carried in RaftPayload.data; docs/PROTOCOL.md is the schema.
 * Encoders write structs as maps with snake_case keys; decoders also accept field-ordered arrays and skip unknown
 * keys. Decoders never throw anything but {@link CodecException} on malformed input.
 */
public final class RaftCodec {
  private RaftCodec() {}

  public static byte[] encodeVoteRequest(VoteRequest value) {
    return Codecs.encode("VoteRequest", value, MessageCodec::writeVoteRequest);
  }

  public static VoteRequest decodeVoteRequest(byte[] bytes) throws CodecException {
    return Codecs.decode("VoteRequest", bytes, MessageCodec::readVoteRequest);
  }

  public static byte[] encodeVoteResponse(VoteResponse value) {
    return Codecs.encode("VoteResponse", value, MessageCodec::writeVoteResponse);
  }

  public static VoteResponse decodeVoteResponse(byte[] bytes) throws CodecException {
    return Codecs.decode("VoteResponse", bytes, MessageCodec::readVoteResponse);
  }

  public static byte[] encodeAppendEntriesRequest(AppendEntriesRequest value) {
    return Codecs.encode("AppendEntriesRequest", value, MessageCodec::writeAppendEntriesRequest);
  }

  public static AppendEntriesRequest decodeAppendEntriesRequest(byte[] bytes) throws CodecException {
    return Codecs.decode("AppendEntriesRequest", bytes, MessageCodec::readAppendEntriesRequest);
  }

  public static byte[] encodeAppendEntriesResponse(AppendEntriesResponse value) {
    return Codecs.encode("AppendEntriesResponse", value, MessageCodec::writeAppendEntriesResponse);
  }

  public static AppendEntriesResponse decodeAppendEntriesResponse(byte[] bytes) throws CodecException {
    return Codecs.decode("AppendEntriesResponse", bytes, MessageCodec::readAppendEntriesResponse);
  }

  /** The entry's msgpack form; the array is the one the entry keeps (see {@link Entry#knownEncoding}): do not modify it. */
  public static byte[] encodeEntry(Entry value) {
    if (value == null) throw new IllegalArgumentException("Entry to encode must not be null");
    try {
      return EntryCodec.encoded(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a buffer packer writes to memory only
    }
  }

  /** Decodes an entry; it keeps {@code bytes} as its msgpack form, so the caller must not modify them afterwards. */
  public static Entry decodeEntry(byte[] bytes) throws CodecException {
    Entry entry = Codecs.decode("Entry", bytes, EntryCodec::readEntry);
    entry.rememberEncoding(bytes);
    return entry;
  }

  public static byte[] encodeVote(Vote value) {
    return Codecs.encode("Vote", value, CoreCodec::writeVote);
  }

  public static Vote decodeVote(byte[] bytes) throws CodecException {
    return Codecs.decode("Vote", bytes, CoreCodec::readVote);
  }

  public static byte[] encodeLeaderId(LeaderId value) {
    return Codecs.encode("LeaderId", value, CoreCodec::writeLeaderId);
  }

  public static LeaderId decodeLeaderId(byte[] bytes) throws CodecException {
    return Codecs.decode("LeaderId", bytes, CoreCodec::readLeaderId);
  }

  public static byte[] encodeLogId(LogId value) {
    return Codecs.encode("LogId", value, CoreCodec::writeLogId);
  }

  public static LogId decodeLogId(byte[] bytes) throws CodecException {
    return Codecs.decode("LogId", bytes, CoreCodec::readLogId);
  }

  public static byte[] encodeTransferLeaderRequest(TransferLeaderRequest value) {
    return Codecs.encode("TransferLeaderRequest", value, ControlCodec::writeTransferLeaderRequest);
  }

  public static TransferLeaderRequest decodeTransferLeaderRequest(byte[] bytes) throws CodecException {
    return Codecs.decode("TransferLeaderRequest", bytes, ControlCodec::readTransferLeaderRequest);
  }

  public static byte[] encodeReadIndexRequest(ReadIndexRequest value) {
    return Codecs.encode("ReadIndexRequest", value, ControlCodec::writeReadIndexRequest);
  }

  public static ReadIndexRequest decodeReadIndexRequest(byte[] bytes) throws CodecException {
    return Codecs.decode("ReadIndexRequest", bytes, ControlCodec::readReadIndexRequest);
  }

  public static byte[] encodeReadIndexResponse(ReadIndexResponse value) {
    return Codecs.encode("ReadIndexResponse", value, ControlCodec::writeReadIndexResponse);
  }

  public static ReadIndexResponse decodeReadIndexResponse(byte[] bytes) throws CodecException {
    return Codecs.decode("ReadIndexResponse", bytes, ControlCodec::readReadIndexResponse);
  }

  /** Membership as stored in a log entry or a snapshot's metadata. */
  public static byte[] encodeMembership(Membership value) {
    return Codecs.encode("Membership", value, EntryCodec::writeMembership);
  }

  public static Membership decodeMembership(byte[] bytes) throws CodecException {
    return Codecs.decode("Membership", bytes, EntryCodec::readMembership);
  }

  /** One result on a StreamAppend stream. */
  public static byte[] encodeStreamAppendResult(StreamAppendResult value) {
    return Codecs.encode("StreamAppendResult", value, StreamCodec::writeStreamAppendResult);
  }

  public static StreamAppendResult decodeStreamAppendResult(byte[] bytes) throws CodecException {
    return Codecs.decode("StreamAppendResult", bytes, StreamCodec::readStreamAppendResult);
  }

  /** What a snapshot covers; also stored in the snapshot file's header. */
  public static byte[] encodeSnapshotMeta(SnapshotMeta value) {
    return Codecs.encode("SnapshotMeta", value, SnapshotCodec::writeMeta);
  }

  public static SnapshotMeta decodeSnapshotMeta(byte[] bytes) throws CodecException {
    return Codecs.decode("SnapshotMeta", bytes, SnapshotCodec::readMeta);
  }

  /** One message of a Snapshot stream. */
  public static byte[] encodeSnapshotMessage(SnapshotMessage value) {
    return Codecs.encode("SnapshotMessage", value, SnapshotCodec::writeMessage);
  }

  public static SnapshotMessage decodeSnapshotMessage(byte[] bytes) throws CodecException {
    return Codecs.decode("SnapshotMessage", bytes, SnapshotCodec::readMessage);
  }

  /** The follower's answer to a Snapshot stream. */
  public static byte[] encodeSnapshotResponse(SnapshotResponse value) {
    return Codecs.encode("SnapshotResponse", value, SnapshotCodec::writeResponse);
  }

  public static SnapshotResponse decodeSnapshotResponse(byte[] bytes) throws CodecException {
    return Codecs.decode("SnapshotResponse", bytes, SnapshotCodec::readResponse);
  }
}
