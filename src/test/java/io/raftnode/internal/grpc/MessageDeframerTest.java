package io.raftnode.internal.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageDeframerTest {
  private static final long LIMIT = 1 << 20;

  private static byte[] message(int flag, int length) {
    return ByteBuffer.allocate(5 + length).put((byte) flag).putInt(length).array();
  }

  /** A message whose payload bytes count up from {@code seed}, so a misplaced byte shows. */
  private static byte[] counting(int length, int seed) {
    byte[] m = message(0, length);
    for (int i = 0; i < length; i++) m[5 + i] = (byte) (seed + i);
    return m;
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] part : parts) all.put(part);
    return all.array();
  }

  private record Fed(List<byte[]> messages, MessageDeframer.Violation violation) {}

  /** Feeds {@code body} in chunks of random sizes (some empty), taking every message, then ends it. */
  private static Fed feed(String encoding, byte[] body, long seed) {
    MessageDeframer deframer = new MessageDeframer(encoding, LIMIT);
    List<byte[]> messages = new ArrayList<>();
    Random random = new Random(seed);
    int at = 0;
    while (at < body.length) {
      int n = Math.min(body.length - at, random.nextInt(8));
      deframer.feed(Buffer.buffer(Arrays.copyOfRange(body, at, at + n)));
      for (byte[] m = deframer.next(); m != null; m = deframer.next()) messages.add(m);
      if (deframer.violation() != null) return new Fed(messages, deframer.violation());
      at += n;
    }
    return new Fed(messages, deframer.onEnd());
  }

  private static byte[] payload(byte[] message) {
    return Arrays.copyOfRange(message, 5, message.length);
  }

  @Test
  void messagesComeOutWholeHoweverTheBodyIsChunked() {
    byte[] a = counting(0, 0);
    byte[] b = counting(3, 10);
    byte[] c = counting(70_000, 20);
    byte[] d = counting(1, 30);
    byte[] body = concat(a, b, c, d);
    for (long seed = 0; seed < 50; seed++) {
      Fed fed = feed(null, body, seed);
      assertNull(fed.violation(), "seed " + seed);
      assertEquals(4, fed.messages().size(), "seed " + seed);
      assertArrayEquals(payload(b), fed.messages().get(1), "seed " + seed);
      assertArrayEquals(payload(c), fed.messages().get(2), "seed " + seed);
      assertArrayEquals(payload(d), fed.messages().get(3), "seed " + seed);
    }
    assertNull(new MessageDeframer(null, LIMIT).onEnd(), "an empty body ends at a boundary");
    assertNull(feed("gzip", body, 1).violation(), "uncompressed messages under any grpc-encoding");
  }

  @Test
  void manyMessagesInOneChunkAreTakenOneAtATimeAndTheRestWaits() {
    byte[][] parts = new byte[1000][];
    for (int i = 0; i < parts.length; i++) parts[i] = counting(7, i);
    MessageDeframer deframer = new MessageDeframer(null, LIMIT);
    deframer.feed(Buffer.buffer(concat(parts)));
    assertArrayEquals(payload(parts[0]), deframer.next());
    assertTrue(deframer.hasInput(), "the other messages wait in the chunk for the next call");
    for (int i = 1; i < parts.length; i++) assertArrayEquals(payload(parts[i]), deframer.next(), "message " + i);
    assertNull(deframer.next());
    assertFalse(deframer.hasInput());
    assertNull(deframer.onEnd());
  }

  @Test
  void aCompressedMessageIsRefusedAtItsFlagByte() {
    byte[] body = concat(message(0, 4), message(1, 4));
    MessageDeframer deframer = new MessageDeframer(null, LIMIT);
    deframer.feed(Buffer.buffer(Arrays.copyOf(body, 9)));
    assertNotNull(deframer.next(), "the first message passes");
    assertNull(deframer.violation());
    deframer.feed(Buffer.buffer(Arrays.copyOfRange(body, 9, 10)));
    assertNull(deframer.next());
    assertNotNull(deframer.violation(), "refused as soon as the flag byte arrives");
    assertEquals(GrpcStatus.INTERNAL, deframer.violation().status());
    assertTrue(deframer.violation().reset());
    assertEquals(GrpcStatus.INTERNAL, feed("identity", body, 2).violation().status(), "identity is no compression");
    MessageDeframer.Violation unsupported = feed("gzip", body, 3).violation();
    assertEquals(GrpcStatus.UNIMPLEMENTED, unsupported.status());
    assertTrue(unsupported.message().contains("gzip"), unsupported.message());
  }

  @Test
  void flagBytesOtherThanZeroAndOneAreInternal() {
    for (int flag : new int[] {2, 0x80, 0xff}) {
      MessageDeframer.Violation bad = feed("gzip", message(flag, 2), flag).violation();
      assertEquals(GrpcStatus.INTERNAL, bad.status(), "flag " + flag);
      assertTrue(bad.message().contains(Integer.toString(flag)), bad.message());
    }
  }

  @Test
  void aBodyEndingInsideAMessageIsInternal() {
    byte[] whole = concat(message(0, 2), message(0, 100));
    for (int cut = 1; cut < whole.length; cut++) {
      if (cut == 7) continue; // the boundary between the two messages
      MessageDeframer.Violation bad = feed(null, Arrays.copyOf(whole, cut), cut).violation();
      assertNotNull(bad, "cut after " + cut + " bytes");
      assertEquals(GrpcStatus.INTERNAL, bad.status());
      assertTrue(bad.reset());
    }
    assertTrue(feed(null, Arrays.copyOf(whole, 9), 0).violation().message().contains("2 of its 5"));
    assertTrue(feed(null, Arrays.copyOf(whole, 20), 0).violation().message().contains("92 of the 100"));
  }

  @Test
  void aMessageOverTheLimitIsRefusedFromItsPrefixAlone() {
    MessageDeframer deframer = new MessageDeframer(null, 1000);
    deframer.feed(Buffer.buffer(message(0, 1000)));
    assertNotNull(deframer.next(), "a message at the limit passes");
    assertNull(deframer.next());
    deframer.feed(Buffer.buffer(message(0, 1001)));
    assertNull(deframer.next());
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, deframer.violation().status());
    assertTrue(deframer.violation().message().contains("1001"), deframer.violation().message());

    byte[] huge = ByteBuffer.allocate(5).put((byte) 0).putInt(0xffffffff).array();
    MessageDeframer unbounded = new MessageDeframer(null, Long.MAX_VALUE);
    unbounded.feed(Buffer.buffer(huge));
    assertNull(unbounded.next());
    assertTrue(unbounded.violation().message().contains("4294967295"), "read as unsigned: "
        + unbounded.violation().message());
  }
}
