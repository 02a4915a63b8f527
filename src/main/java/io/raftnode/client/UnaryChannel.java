package io.raftnode.client;

import io.raftnode.client.RaftKvException.Reason;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.StreamResetException;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.concurrent.TimeUnit;

/** KvService calls to one node, one HTTP/2 stream each, with the call's deadline as grpc-timeout. */
final class UnaryChannel implements NodeChannel {
  /** HTTP/2 REFUSED_STREAM: the server did not process the stream at all (RFC 9113, section 8.7). */
  private static final long REFUSED_STREAM = 7;

  private final GrpcClient grpc;
  private final NodeAddress address;

  UnaryChannel(GrpcClient grpc, NodeAddress address) {
    this.grpc = grpc;
    this.address = address;
  }

  @Override
  public Future<SessionAnswer> send(SessionCall.Builder call, long timeoutMs) {
    SessionAnswer.Builder answer = SessionAnswer.newBuilder();
    return switch (call.getCallCase()) {
      case PUT -> call(grpc, address, KvServiceGrpcClient.Put, call.getPut(), timeoutMs).map(r -> answer.setPut(r).build());
      case GET -> call(grpc, address, KvServiceGrpcClient.Get, call.getGet(), timeoutMs).map(r -> answer.setGet(r).build());
      case DELETE -> call(grpc, address, KvServiceGrpcClient.Delete, call.getDelete(), timeoutMs)
          .map(r -> answer.setDelete(r).build());
      case COMPARE_AND_SWAP -> call(grpc, address, KvServiceGrpcClient.CompareAndSwap, call.getCompareAndSwap(), timeoutMs)
          .map(r -> answer.setCompareAndSwap(r).build());
      default -> throw new IllegalArgumentException("no operation in " + call);
    };
  }

  @Override
  public boolean usable() {
    return true;
  }

  @Override
  public void close() {}

  /** One unary call; its failures as {@link CallFailure}s, with the detail of the node's trailers. */
  static <Req, Resp> Future<Resp> call(GrpcClient grpc, NodeAddress address, ServiceMethod<Resp, Req> method,
      Req request, long timeoutMs) {
    return grpc.request(address.socketAddress(), method)
        .recover(err -> Future.failedFuture(CallFailure.notSent("cannot reach " + address + ": " + err.getMessage())))
        .compose(call -> {
          if (timeoutMs > 0) call.timeout(timeoutMs, TimeUnit.MILLISECONDS);
          return call.send(request).compose(response -> response.last().recover(err -> failed(address, response, err)));
        })
        .recover(err -> Future.failedFuture(err instanceof CallFailure ? err : transportFailure(address, err)));
  }

  private static <Resp> Future<Resp> failed(NodeAddress address, GrpcClientResponse<?, Resp> response, Throwable err) {
    GrpcStatus status = response.status();
    if (status == null || status == GrpcStatus.OK) return Future.failedFuture(transportFailure(address, err));
    MultiMap detail = MultiMap.caseInsensitiveMultiMap().addAll(response.headers()).addAll(response.trailers());
    String message = response.statusMessage() == null ? status.name() : response.statusMessage();
    return Future.failedFuture(CallFailure.answered(status, address + " answered " + status.name() + ": " + message,
        Reason.ofWord(detail.get(Trailers.REASON)), Trailers.number(detail.get(Trailers.LEADER_ID)),
        detail.get(Trailers.LEADER_ADDRESS), Trailers.number(detail.get(Trailers.RETRY_AFTER_MS))));
  }

  /** A failure without a status from the node: a refused stream did nothing; anything else may have. */
  static CallFailure transportFailure(NodeAddress address, Throwable err) {
    if (err instanceof StreamResetException reset && reset.getCode() == REFUSED_STREAM) {
      return CallFailure.notSent(address + " refused the call before reading it");
    }
    return CallFailure.lost("the call to " + address + " broke before its answer (" + err + ")");
  }
}
