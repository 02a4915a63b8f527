package io.raftnode.internal.grpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Writes a gRPC response onto its HTTP/2 response: the head, length-prefixed messages, the status. */
public final class GrpcStatusWriter {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final int PREFIX_BYTES = 5;

  private GrpcStatusWriter() {}

  /** The head every answer carries: gRPC content, and no compression taken (the node inflates nothing). */
  static void head(HttpServerResponse response) {
    response.setStatusCode(200);
    MultiMap headers = response.headers();
    headers.set("content-type", "application/grpc");
    headers.set("grpc-accept-encoding", "identity");
  }

  /** {@code message} with its gRPC prefix (uncompressed, 4-byte length), encoded straight into one array. */
  static Buffer frame(MessageLite message) {
    int size = message.getSerializedSize();
    byte[] out = new byte[PREFIX_BYTES + size];
    out[1] = (byte) (size >>> 24);
    out[2] = (byte) (size >>> 16);
    out[3] = (byte) (size >>> 8);
    out[4] = (byte) size;
    try {
      CodedOutputStream coded = CodedOutputStream.newInstance(out, PREFIX_BYTES, size);
      message.writeTo(coded);
      coded.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("a protobuf message did not fit its own serialized size", e);
    }
    return Buffer.buffer(out);
  }

  /**
   * Sends {@code status} as a trailers-only answer when nothing was sent yet, otherwise as the trailers after the
   * answers already written, with {@code extra} metadata (or null), and ends the response; {@code last}, if not
   * null, is the last message. The future completes once the status has been written out.
   */
  public static Future<Void> end(HttpServerResponse response, GrpcStatus status, String message, MultiMap extra,
      Buffer last) {
    MultiMap into;
    if (response.headWritten() || last != null) {
      if (!response.headWritten()) head(response);
      into = response.trailers();
    } else {
      head(response);
      into = response.headers();
    }
    into.set("grpc-status", Integer.toString(status.code));
    if (message != null && !message.isEmpty()) into.set("grpc-message", percentEncode(message));
    if (extra != null) into.addAll(extra);
    return last == null ? response.end() : response.end(last);
  }

  /** grpc-message is percent-encoded UTF-8: bytes outside printable ASCII, and '%' itself, become %XX. */
  static String percentEncode(String message) {
    StringBuilder out = new StringBuilder(message.length());
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c <= 0x7e && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }
}
