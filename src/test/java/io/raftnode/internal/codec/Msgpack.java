package io.raftnode.internal.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/** Builds msgpack bytes by hand, independently of the codec under test. */
final class Msgpack {
  private Msgpack() {}

  interface Body {
    void write(MessagePacker p) throws IOException;
  }

  static byte[] build(Body body) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      body.write(p);
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static void leaderIdArray(MessagePacker p, long term, long nodeId) throws IOException {
    p.packArrayHeader(2).packLong(term).packLong(nodeId);
  }

  static void voteArray(MessagePacker p, long term, long nodeId, boolean committed) throws IOException {
    p.packArrayHeader(2);
    leaderIdArray(p, term, nodeId);
    p.packBoolean(committed);
  }

  static void logIdArray(MessagePacker p, long term, long nodeId, long index) throws IOException {
    p.packArrayHeader(2);
    leaderIdArray(p, term, nodeId);
    p.packLong(index);
  }
}
