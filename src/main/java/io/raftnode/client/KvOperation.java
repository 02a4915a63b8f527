package io.raftnode.client;

import com.google.protobuf.ByteString;
import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.DeleteRequest;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.RequestId;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import java.util.function.Function;

/**
 * One KvService call as the client sends it, over a session or unary: what to send (a write gets its request id
 * per attempt) and how to read the answer. Both transports hand back a {@link SessionAnswer}, so answers are read
 * one way.
 */
final class KvOperation<R> {
  enum Kind { PUT, GET, DELETE, COMPARE_AND_SWAP }

  final Kind kind;
  private final Function<RequestId, SessionCall.Builder> call;
  private final Function<SessionAnswer, R> result;

  private KvOperation(Kind kind, Function<RequestId, SessionCall.Builder> call, Function<SessionAnswer, R> result) {
    this.kind = kind;
    this.call = call;
    this.result = result;
  }

  boolean write() {
    return kind != Kind.GET;
  }

  /**
   * The call to send, with {@code id} for a write (null for a read, or a write of a client without request ids);
   * its call id is the session's to set.
   */
  SessionCall.Builder call(RequestId id) {
    return call.apply(id);
  }

  R result(SessionAnswer answer) {
    return result.apply(answer);
  }

  static KvOperation<PutResult> put(byte[] key, byte[] value) {
    PutRequest base = PutRequest.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value)).build();
    return new KvOperation<>(Kind.PUT, id -> SessionCall.newBuilder().setPut(id == null ? base.toBuilder() : base.toBuilder().setRequestId(id)),
        answer -> new PutResult(answer.getPut().getRevision()));
  }

  static KvOperation<DeleteResult> delete(byte[] key) {
    DeleteRequest base = DeleteRequest.newBuilder().setKey(ByteString.copyFrom(key)).build();
    return new KvOperation<>(Kind.DELETE, id -> SessionCall.newBuilder().setDelete(id == null ? base.toBuilder() : base.toBuilder().setRequestId(id)),
        answer -> new DeleteResult(answer.getDelete().getDeleted(), answer.getDelete().getRevision()));
  }

  /** {@code expected} null: succeed only if the key is absent. */
  static KvOperation<CompareAndSwapResult> compareAndSwap(byte[] key, byte[] expected, byte[] newValue) {
    CompareAndSwapRequest.Builder b = CompareAndSwapRequest.newBuilder().setKey(ByteString.copyFrom(key))
        .setExpectPresent(expected != null).setNewValue(ByteString.copyFrom(newValue));
    if (expected != null) b.setExpected(ByteString.copyFrom(expected));
    CompareAndSwapRequest base = b.build();
    return new KvOperation<>(Kind.COMPARE_AND_SWAP,
        id -> SessionCall.newBuilder().setCompareAndSwap(id == null ? base.toBuilder() : base.toBuilder().setRequestId(id)),
        answer -> {
          var r = answer.getCompareAndSwap();
          return new CompareAndSwapResult(r.getSucceeded(), r.getCurrentPresent(), r.getCurrentValue().toByteArray(),
              r.getRevision());
        });
  }

  static KvOperation<GetResult> get(byte[] key, ReadConsistency consistency) {
    GetRequest request = GetRequest.newBuilder().setKey(ByteString.copyFrom(key)).setConsistency(switch (consistency) {
      case LINEARIZABLE -> Consistency.LINEARIZABLE;
      case LEASE -> Consistency.LEASE;
      case STALE -> Consistency.STALE;
    }).build();
    return new KvOperation<>(Kind.GET, id -> SessionCall.newBuilder().setGet(request), answer -> {
      var r = answer.getGet();
      return new GetResult(r.getFound(), r.getValue().toByteArray(), r.getRevision());
    });
  }
}
