package io.raftnode.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GrpcFrameCheckTest {
  private static byte[] message(int flag, int length) {
    return ByteBuffer.allocate(5 + length).put((byte) flag).putInt(length).array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] part : parts) all.put(part);
    return all.array();
  }

  /** Feeds {@code body} in chunks of random sizes (some empty) and returns the first violation, the end's included. */
  private static GrpcFrameCheck.Violation feed(String encoding, byte[] body, long seed) {
    GrpcFrameCheck check = new GrpcFrameCheck(encoding);
    Random random = new Random(seed);
    int at = 0;
    while (at < body.length) {
      int n = Math.min(body.length - at, random.nextInt(8));
      GrpcFrameCheck.Violation bad = check.onData(Buffer.buffer(Arrays.copyOfRange(body, at, at + n)));
      if (bad != null) return bad;
      at += n;
    }
    return check.onEnd();
  }

  @Test
  void wellFramedBodiesPassHoweverTheyAreChunked() {
    byte[] body = concat(message(0, 0), message(0, 3), message(0, 70_000), message(0, 1));
    for (long seed = 0; seed < 50; seed++) {
      assertNull(feed(null, body, seed), "seed " + seed);
    }
    assertNull(new GrpcFrameCheck(null).onEnd(), "an empty body ends at a boundary");
    assertNull(feed("gzip", body, 1), "uncompressed messages under any grpc-encoding");
  }

  @Test
  void aCompressedMessageIsRefusedAtItsFlagByte() {
    byte[] body = concat(message(0, 4), message(1, 4));
    GrpcFrameCheck check = new GrpcFrameCheck(null);
    assertNull(check.onData(Buffer.buffer(Arrays.copyOf(body, 9))));
    GrpcFrameCheck.Violation bad = check.onData(Buffer.buffer(Arrays.copyOfRange(body, 9, 10)));
    assertNotNull(bad, "refused as soon as the flag byte arrives");
    assertEquals(GrpcStatus.INTERNAL, bad.status());
    assertEquals(GrpcStatus.INTERNAL, feed("identity", body, 2).status(), "identity is no compression");
    GrpcFrameCheck.Violation unsupported = feed("gzip", body, 3);
    assertEquals(GrpcStatus.UNIMPLEMENTED, unsupported.status());
    assertTrue(unsupported.message().contains("gzip"), unsupported.message());
  }

  @Test
  void flagBytesOtherThanZeroAndOneAreInternal() {
    for (int flag : new int[] {2, 0x80, 0xff}) {
      GrpcFrameCheck.Violation bad = feed("gzip", message(flag, 2), flag);
      assertEquals(GrpcStatus.INTERNAL, bad.status(), "flag " + flag);
      assertTrue(bad.message().contains(Integer.toString(flag)), bad.message());
    }
  }

  @Test
  void aBodyEndingInsideAMessageIsInternal() {
    byte[] whole = concat(message(0, 2), message(0, 100));
    for (int cut = 1; cut < whole.length; cut++) {
      if (cut == 7) continue; // the boundary between the two messages
      GrpcFrameCheck.Violation bad = feed(null, Arrays.copyOf(whole, cut), cut);
      assertNotNull(bad, "cut after " + cut + " bytes");
      assertEquals(GrpcStatus.INTERNAL, bad.status());
    }
    assertTrue(feed(null, Arrays.copyOf(whole, 9), 0).message().contains("2 of its 5"));
    assertTrue(feed(null, Arrays.copyOf(whole, 20), 0).message().contains("92 of the 100"));
  }

  @Test
  void aLengthBeyondAnyIntIsCountedNotMisread() {
    byte[] huge = ByteBuffer.allocate(5).put((byte) 0).putInt(0xffffffff).array();
    GrpcFrameCheck check = new GrpcFrameCheck(null);
    assertNull(check.onData(Buffer.buffer(huge)));
    assertNull(check.onData(Buffer.buffer(new byte[1000])), "payload bytes are not read as a prefix");
    assertTrue(check.onEnd().message().contains("of the 4294967295 announced bytes"), check.onEnd().message());
  }
}
