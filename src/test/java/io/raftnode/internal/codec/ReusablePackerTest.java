package io.raftnode.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

class ReusablePackerTest {
  private final ReusablePacker packer = new ReusablePacker();

  @Test
  void writesWhatTheLibrarysOwnPackerWritesForSmallAndLargeValues() throws IOException {
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 100, 8191, 8192, 8193, 100_000, 3_000_000}) {
      byte[] blob = new byte[size];
      random.nextBytes(blob);
      ReusablePacker.Body body = p -> {
        p.packMapHeader(2);
        p.packString("n").packLong(size);
        p.packString("blob").packBinaryHeader(blob.length);
        p.writePayload(blob);
      };
      MessageBufferPacker reference = MessagePack.newDefaultBufferPacker();
      body.write(reference);
      assertArrayEquals(reference.toByteArray(), packer.encode(body), "value of " + size + " bytes");
    }
  }

  @Test
  void anEncodeThatFailedPartWayLeavesNothingForTheNext() {
    assertThrows(IllegalArgumentException.class, () -> packer.encode(p -> {
      p.packArrayHeader(3).packString("half written");
      throw new IllegalArgumentException("refused");
    }));
    byte[] next = packer.encode(p -> p.packInt(42));
    assertArrayEquals(new byte[] {42}, next);
  }

  @Test
  void manyEncodesInARowEachReturnOnlyTheirOwnBytes() throws IOException {
    for (int i = 0; i < 10_000; i++) {
      int n = i;
      MessagePacker reference = MessagePack.newDefaultBufferPacker();
      reference.packString("entry-" + n).packLong(n);
      assertArrayEquals(((MessageBufferPacker) reference).toByteArray(),
          packer.encode(p -> p.packString("entry-" + n).packLong(n)));
    }
  }
}
