package io.raftnode.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.ByteString;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import io.raftnode.proto.RaftPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AppendEncodingsTest {
  private final Vote vote = Vote.of(3, 1, true);

  @Test
  void raftPayloadBytesAreWhatTheGeneratedCodeWrites() {
    Random random = new Random(1);
    for (int size : new int[] {0, 1, 127, 128, 300, 16_383, 16_384, 2_097_151, 2_097_152}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      byte[] generated = RaftPayload.newBuilder().setData(ByteString.copyFrom(data)).build().toByteArray();
      assertArrayEquals(generated, Payloads.raftPayloadMessage(data).getBytes(), "payload of " + size + " bytes");
    }
  }

  @Test
  void theSameBatchForTwoFollowersIsEncodedOnce() {
    List<Entry> log = entries(1, 10);
    AppendEncodings encodings = new AppendEncodings();
    // Two requests built separately (as the core does per follower) over the same entry objects.
    AppendEntriesRequest toFirst = new AppendEntriesRequest(vote, LogId.of(3, 1, 4), log.subList(4, 10), LogId.of(3, 1, 4));
    AppendEntriesRequest toSecond = new AppendEntriesRequest(vote, LogId.of(3, 1, 4), log.subList(4, 10), LogId.of(3, 1, 4));
    byte[] first = encodings.msgpack(toFirst);
    assertSame(first, encodings.msgpack(toSecond));
    assertSame(encodings.raftPayload(toFirst), encodings.raftPayload(toSecond));
    assertArrayEquals(RaftCodec.encodeAppendEntriesRequest(toSecond), first);
  }

  @Test
  void requestsThatDifferAnywhereGetTheirOwnEncoding() {
    List<Entry> log = entries(1, 10);
    List<Entry> sameIndexesOtherObjects = entries(1, 10);
    AppendEntriesRequest base = new AppendEntriesRequest(vote, LogId.of(3, 1, 4), log.subList(4, 10), LogId.of(3, 1, 4));
    List<AppendEntriesRequest> others = new ArrayList<>();
    others.add(new AppendEntriesRequest(vote, LogId.of(3, 1, 4), log.subList(4, 9), LogId.of(3, 1, 4)));
    others.add(new AppendEntriesRequest(vote, LogId.of(3, 1, 3), log.subList(3, 10), LogId.of(3, 1, 4)));
    others.add(new AppendEntriesRequest(vote, LogId.of(3, 1, 4), log.subList(4, 10), LogId.of(3, 1, 5)));
    others.add(new AppendEntriesRequest(Vote.of(4, 1, true), LogId.of(3, 1, 4), log.subList(4, 10), LogId.of(3, 1, 4)));
    others.add(new AppendEntriesRequest(vote, LogId.of(3, 1, 4), sameIndexesOtherObjects.subList(4, 10),
        LogId.of(3, 1, 4)));
    for (AppendEntriesRequest other : others) {
      AppendEncodings encodings = new AppendEncodings();
      byte[] baseBytes = encodings.msgpack(base);
      byte[] otherBytes = encodings.msgpack(other);
      assertNotSame(baseBytes, otherBytes, other.toString());
      assertArrayEquals(RaftCodec.encodeAppendEntriesRequest(other), otherBytes, other.toString());
    }
  }

  private static List<Entry> entries(long from, long to) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) out.add(new Entry(LogId.of(3, 1, i), new EntryPayload.Normal(new byte[] {(byte) i})));
    return out;
  }
}
