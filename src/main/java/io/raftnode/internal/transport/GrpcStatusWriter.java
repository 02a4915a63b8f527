package io.raftnode.internal.transport;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;

/** Ends a gRPC call's HTTP/2 response with a status, below Vert.x's gRPC layer. */
final class GrpcStatusWriter {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private GrpcStatusWriter() {}

  /**
   * Sends {@code status} as a trailers-only answer when nothing was sent yet, otherwise as the trailers after the
   * answers already written, and ends the response. The future completes once the status has been written out.
   */
  static Future<Void> end(HttpServerResponse response, GrpcStatus status, String message) {
    MultiMap into;
    if (response.headWritten()) {
      into = response.trailers();
    } else {
      response.setStatusCode(200);
      response.headers().set("content-type", "application/grpc");
      into = response.headers();
    }
    into.set("grpc-status", Integer.toString(status.code));
    into.set("grpc-message", percentEncode(message));
    return response.end();
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
