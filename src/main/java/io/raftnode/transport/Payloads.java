package io.raftnode.transport;

import com.google.protobuf.UnsafeByteOperations;
import io.raftnode.codec.CodecException;
import io.raftnode.proto.RaftPayload;
import io.vertx.core.Future;
import java.util.function.Function;

/** Moving msgpack bytes in and out of RaftPayload without copying, and turning decode errors into values. */
final class Payloads {
  private Payloads() {}

  /** Wraps without a copy: the encoders hand over fresh arrays that nobody changes afterwards. */
  static RaftPayload wrap(byte[] bytes) {
    return RaftPayload.newBuilder().setData(UnsafeByteOperations.unsafeWrap(bytes)).build();
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
