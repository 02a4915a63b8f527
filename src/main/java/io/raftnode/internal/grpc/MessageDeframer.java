package io.raftnode.internal.grpc;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one request body into its gRPC messages (each: a flag byte, a 4-byte big-endian length, then that many
 * bytes) as its chunks arrive, and names the first thing in it the gRPC protocol forbids or this server refuses: a
 * compressed message (this server accepts no compression), a flag byte other than 0 or 1, a message over the size
 * limit, or a body that ends inside a message.
 *
 * <p>Each message's bytes are copied once, straight out of the chunks into an array of its own: a message inside one
 * chunk is one copy, a message split over several is kept as views of its pieces until its last byte arrives (so
 * what is held grows with what arrived, not with what a prefix announces), then copied together. Many messages in
 * one chunk cost time linear in the chunk. Messages are taken one at a time ({@link #next}), so a reader that
 * pauses leaves the rest where they are.
 */
final class MessageDeframer {
  /** What the stream is refused with; {@code reset}: the client is told to stop sending (its body is broken). */
  record Violation(GrpcStatus status, String message, boolean reset) {}

  private static final int PREFIX_BYTES = 5;
  private static final byte[] EMPTY = new byte[0];

  private final String encoding;
  private final long maxMessageBytes;
  /** Chunks received and not yet cut up, oldest first; the first is read from {@link #at}. */
  private final ArrayDeque<Buffer> chunks = new ArrayDeque<>(2);
  private int at;
  /** Bytes of the current message's prefix seen so far; 0 between messages and while in a payload. */
  private int prefixSeen;
  private long announcedLength;
  /** In a payload: its length; -1 while reading a prefix. */
  private int payloadLength = -1;
  /** The pieces of a payload that spans chunks, and how many bytes they hold. */
  private List<Buffer> pieces;
  private int piecesBytes;
  private Violation violation;

  /** {@code encoding} is the request's grpc-encoding header, or null when it has none. */
  MessageDeframer(String encoding, long maxMessageBytes) {
    this.encoding = encoding;
    this.maxMessageBytes = Math.min(maxMessageBytes, Integer.MAX_VALUE - PREFIX_BYTES);
  }

  void feed(Buffer chunk) {
    if (chunk.length() > 0) chunks.addLast(chunk);
  }

  /** Whether bytes received are not yet cut into messages (some of a message still to come does not count). */
  boolean hasInput() {
    return !chunks.isEmpty();
  }

  /** The first refusal found, or null while the framing is sound. */
  Violation violation() {
    return violation;
  }

  /** The next complete message's payload, or null when no further one is complete yet or a violation was found. */
  byte[] next() {
    while (violation == null && !chunks.isEmpty()) {
      Buffer chunk = chunks.peekFirst();
      if (at == chunk.length()) {
        chunks.pollFirst();
        at = 0;
        continue;
      }
      if (payloadLength < 0) {
        readPrefixByte(chunk.getUnsignedByte(at++));
        if (payloadLength == 0) {
          payloadLength = -1;
          return EMPTY;
        }
        continue;
      }
      byte[] message = takePayload(chunk);
      if (message != null) return message;
    }
    return null;
  }

  private void readPrefixByte(int b) {
    if (prefixSeen == 0) {
      violation = checkFlag(b);
      announcedLength = 0;
    } else {
      announcedLength = (announcedLength << 8) | b;
    }
    if (++prefixSeen < PREFIX_BYTES) return;
    prefixSeen = 0;
    if (announcedLength > maxMessageBytes) {
      violation = new Violation(GrpcStatus.RESOURCE_EXHAUSTED, "message of " + announcedLength
          + " bytes is larger than this server accepts (" + maxMessageBytes + ")", false);
      return;
    }
    payloadLength = (int) announcedLength;
  }

  /** Takes what the chunk holds of the current payload: the payload once complete, else null. */
  private byte[] takePayload(Buffer chunk) {
    int available = chunk.length() - at;
    int missing = payloadLength - piecesBytes;
    if (pieces == null && available >= payloadLength) {
      byte[] message = chunk.getBytes(at, at + payloadLength);
      at += payloadLength;
      payloadLength = -1;
      return message;
    }
    int n = Math.min(available, missing);
    if (pieces == null) pieces = new ArrayList<>(4);
    pieces.add(chunk.slice(at, at + n));
    piecesBytes += n;
    at += n;
    if (piecesBytes < payloadLength) return null;
    byte[] message = new byte[payloadLength];
    int filled = 0;
    for (Buffer piece : pieces) {
      piece.getBytes(0, piece.length(), message, filled);
      filled += piece.length();
    }
    pieces = null;
    piecesBytes = 0;
    payloadLength = -1;
    return message;
  }

  /** The body has ended: null if it ended between two messages, otherwise what is wrong with it. */
  Violation onEnd() {
    if (violation != null) return violation;
    if (prefixSeen > 0) {
      violation = new Violation(GrpcStatus.INTERNAL, "the request ended inside a message prefix, after " + prefixSeen
          + " of its " + PREFIX_BYTES + " bytes", true);
    } else if (payloadLength >= 0) {
      violation = new Violation(GrpcStatus.INTERNAL, "the request ended inside a message: "
          + (payloadLength - piecesBytes) + " of the " + payloadLength + " announced bytes did not arrive", true);
    }
    return violation;
  }

  private Violation checkFlag(int flag) {
    if (flag == 0) return null;
    if (flag != 1) {
      return new Violation(GrpcStatus.INTERNAL, "a message's flag byte is " + flag + "; only 0 (uncompressed) and "
          + "1 (compressed) are defined", true);
    }
    if (encoding == null || encoding.equals("identity")) {
      return new Violation(GrpcStatus.INTERNAL, "a message is marked compressed but the call names no grpc-encoding",
          true);
    }
    return new Violation(GrpcStatus.UNIMPLEMENTED, "a message is compressed with grpc-encoding " + encoding
        + "; this server accepts uncompressed messages only (grpc-accept-encoding: identity)", true);
  }
}
