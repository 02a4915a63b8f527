package io.raftnode.internal.transport;

import com.google.protobuf.UnsafeByteOperations;
import io.raftnode.internal.codec.CodecException;
import io.raftnode.proto.RaftPayload;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/** Moving msgpack bytes in and out of RaftPayload without copying, and turning decode errors into values. */
final class Payloads {
  private Payloads() {}

  /** Wraps without a copy: the encoders hand over fresh arrays that nobody changes afterwards. */
  static RaftPayload wrap(byte[] bytes) {
    return RaftPayload.newBuilder().setData(UnsafeByteOperations.unsafeWrap(bytes)).build();
  }

  /**
   * The protobuf encoding of {@code RaftPayload { data = bytes }}, written by hand: field 1, length-delimited. It is
   * the same bytes the generated code writes, without building the message and copying the array twice over.
   */
  static Buffer raftPayloadMessage(byte[] bytes) {
    Buffer out = Buffer.buffer(bytes.length + 6);
    if (bytes.length == 0) return out; // an empty bytes field is not written in proto3
    out.appendByte((byte) 0x0A);
    int n = bytes.length;
    while ((n & ~0x7F) != 0) {
      out.appendByte((byte) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.appendByte((byte) n);
    return out.appendBytes(bytes);
  }

  interface Decoder<T> {
    T decode(byte[] bytes) throws CodecException;
  }

  /** Decodes the payload; a CodecException becomes a failed Future built by {@code onError}. */
  static <T> Future<T> decode(RaftPayload payload, Decoder<T> decoder, Function<CodecException, Throwable> onError) {
    try {
      return Future.succeededFuture(decoder.decode(payload.getData().toByteArray()));
    } catch (CodecException e) {
      return Future.failedFuture(onError.apply(e));
    }
  }
}
