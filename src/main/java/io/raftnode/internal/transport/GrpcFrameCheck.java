package io.raftnode.internal.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;

/**
 * Follows the gRPC message framing of one request body (each message: a flag byte, a 4-byte big-endian length,
 * then that many bytes) as its chunks arrive, and names the first thing in it the gRPC protocol forbids: a
 * compressed message (this server accepts no compression), a flag byte other than 0 or 1, or a body that ends
 * inside a message. It only counts bytes; the messages themselves are read by Vert.x's gRPC server.
 */
final class GrpcFrameCheck {
  /** What the stream is refused with. */
  record Violation(GrpcStatus status, String message) {}

  private static final int PREFIX_BYTES = 5;

  private final String encoding;
  /** Bytes of the current message's prefix seen so far; 0 between messages and while in a payload. */
  private int prefixSeen;
  private long announcedLength;
  /** Bytes of the current message's payload still to come. */
  private long payloadLeft;

  /** {@code encoding} is the request's grpc-encoding header, or null when it has none. */
  GrpcFrameCheck(String encoding) {
    this.encoding = encoding;
  }

  /** Takes the next chunk of the body: null while the framing is sound, otherwise what is wrong with it. */
  Violation onData(Buffer chunk) {
    int at = 0;
    int length = chunk.length();
    while (at < length) {
      if (payloadLeft > 0) {
        int skipped = (int) Math.min(payloadLeft, length - at);
        payloadLeft -= skipped;
        at += skipped;
        continue;
      }
      int b = chunk.getUnsignedByte(at++);
      if (prefixSeen == 0) {
        Violation bad = checkFlag(b);
        if (bad != null) return bad;
        announcedLength = 0;
      } else {
        announcedLength = (announcedLength << 8) | b;
      }
      if (++prefixSeen == PREFIX_BYTES) {
        prefixSeen = 0;
        payloadLeft = announcedLength;
      }
    }
    return null;
  }

  /** The body has ended: null if it ended between two messages, otherwise what is wrong with it. */
  Violation onEnd() {
    if (prefixSeen > 0) {
      return new Violation(GrpcStatus.INTERNAL, "the request ended inside a message prefix, after " + prefixSeen
          + " of its " + PREFIX_BYTES + " bytes");
    }
    if (payloadLeft > 0) {
      return new Violation(GrpcStatus.INTERNAL, "the request ended inside a message: " + payloadLeft + " of the "
          + announcedLength + " announced bytes did not arrive");
    }
    return null;
  }

  private Violation checkFlag(int flag) {
    if (flag == 0) return null;
    if (flag != 1) {
      return new Violation(GrpcStatus.INTERNAL, "a message's flag byte is " + flag + "; only 0 (uncompressed) and "
          + "1 (compressed) are defined");
    }
    if (encoding == null || encoding.equals("identity")) {
      return new Violation(GrpcStatus.INTERNAL, "a message is marked compressed but the call names no grpc-encoding");
    }
    return new Violation(GrpcStatus.UNIMPLEMENTED, "a message is compressed with grpc-encoding " + encoding
        + "; this server accepts uncompressed messages only (grpc-accept-encoding: identity)");
  }
}
