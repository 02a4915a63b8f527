package io.raftnode.internal.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.msgpack.core.MessagePacker;

/** Write helpers shared by the encoders: pre-encoded map keys and unsigned integers. */
public final class MsgpackWriter {
  private MsgpackWriter() {}

  /**
   * The complete msgpack encoding (fixstr header and bytes) of an ASCII field name, built once so encoders on the
   * replication path copy bytes instead of re-encoding the same strings for every message.
   */
  public static byte[] key(String name) {
    byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
    if (ascii.length > 31) throw new IllegalArgumentException("field name too long for a fixstr: " + name);
    byte[] out = new byte[ascii.length + 1];
    out[0] = (byte) (0xa0 | ascii.length);
    System.arraycopy(ascii, 0, out, 1, ascii.length);
    return out;
  }

  public static void writeKey(MessagePacker p, byte[] key) throws IOException {
    p.writePayload(key);
  }

  /**
   * Writes a u64 as the smallest msgpack uint that holds it. Negative Java longs are refused rather than written
   * as uint64 values above 2^63-1, which no raftnode decoder accepts: the error belongs to the sender.
   */
  static void writeU64(MessagePacker p, long value, String what) throws IOException {
    if (value < 0) throw new IllegalArgumentException(what + " must be >= 0: " + value);
    p.packLong(value);
  }
}
