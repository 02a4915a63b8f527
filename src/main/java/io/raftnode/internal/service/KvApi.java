package io.raftnode.internal.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.UnsafeByteOperations;
import io.raftnode.internal.grpc.GrpcMethod;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.grpc.ServerCall;
import io.raftnode.internal.grpc.UnaryCalls;
import io.raftnode.internal.kv.KvCodec;
import io.raftnode.internal.kv.KvCommand;
import io.raftnode.internal.kv.KvResult;
import io.raftnode.internal.node.InternalNode;
import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.DeleteRequest;
import io.raftnode.proto.DeleteResponse;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.KvServiceGrpcService;
import io.raftnode.proto.KvSessionServiceGrpcService;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * KvService on top of {@link io.raftnode.internal.kv.KvStateMachine}: writes go through the leader's log
 * (followers forward them). LINEARIZABLE reads use a read index confirmed by the leader and are served from this
 * node's state once it has applied that index; LEASE reads are served by the leader (followers forward them);
 * STALE reads answer from this node's state at once. A failed call ends with the status and trailers of
 * {@link ClientErrors}; the client's deadline bounds the whole call, forwarding included.
 */
public final class KvApi implements NodeClientService {
  private static final GrpcMethod<PutRequest, PutResponse> PUT = GrpcMethod.of(KvServiceGrpcService.Put,
      PutRequest.parser());
  private static final GrpcMethod<GetRequest, GetResponse> GET = GrpcMethod.of(KvServiceGrpcService.Get,
      GetRequest.parser());
  private static final GrpcMethod<DeleteRequest, DeleteResponse> DELETE = GrpcMethod.of(KvServiceGrpcService.Delete,
      DeleteRequest.parser());
  private static final GrpcMethod<CompareAndSwapRequest, CompareAndSwapResponse> COMPARE_AND_SWAP =
      GrpcMethod.of(KvServiceGrpcService.CompareAndSwap, CompareAndSwapRequest.parser());

  @Override
  public List<ServiceDescriptor> services() {
    return List.of(KvServiceGrpcService.SERVICE_DESCRIPTOR, KvSessionServiceGrpcService.SERVICE_DESCRIPTOR);
  }

  @Override
  public void bind(GrpcRoutes routes, InternalNode node) {
    Handlers h = new Handlers(node, new LeaderRouter(node), forwarder(node), KvLimits.of(node.limits()),
        StoreQuota.of(node));
    LeaderCalls unary = h.unaryLeaderCalls();
    UnaryCalls.serve(routes, PUT,
        (call, request) -> UnaryAnswers.answer(call, h.put(forwarded(call), CallDeadline.of(call), unary, request)));
    UnaryCalls.serve(routes, GET,
        (call, request) -> UnaryAnswers.answer(call, h.get(forwarded(call), CallDeadline.of(call), unary, request)));
    UnaryCalls.serve(routes, DELETE,
        (call, request) -> UnaryAnswers.answer(call, h.delete(forwarded(call), CallDeadline.of(call), unary, request)));
    UnaryCalls.serve(routes, COMPARE_AND_SWAP,
        (call, request) -> UnaryAnswers.answer(call, h.compareAndSwap(forwarded(call), CallDeadline.of(call), unary, request)));
    KvSessionEndpoint.bind(routes, h);
  }

  /**
   * The client a follower forwards calls to the leader with. It ends a forwarded call itself when the call's
   * timeout passes, so a leader that stops answering (a frozen process) cannot keep the call open.
   */
  static GrpcClient forwarder(InternalNode node) {
    return GrpcClient.client(node.vertx(), new GrpcClientOptions().setScheduleDeadlineAutomatically(true),
        node.clientPortCallOptions());
  }

  static boolean forwarded(ServerCall<?, ?> call) {
    return call.headers().contains(LeaderRouter.FORWARDED_HEADER);
  }

  /**
   * The four calls, shared by the unary methods and {@link KvSessionEndpoint}. {@code forwarded} says the call came
   * from another node with the hop marker (so it is served here or refused, never forwarded again); {@code via}
   * is how a call this node does not serve reaches the leader. A call's future fails with a {@link ClientFailure},
   * or a StatusException for a request refused before it was served. The leader admits writes under the store's
   * {@code quota} before it proposes them.
   */
  record Handlers(InternalNode node, LeaderRouter router, GrpcClient forwarder, KvLimits limits, StoreQuota quota) {

    /** Forwarding call by call, as unary calls are forwarded. */
    LeaderCalls unaryLeaderCalls() {
      return new UnaryLeaderCalls(forwarder, forwardingHeaders());
    }

    Future<PutResponse> put(boolean forwarded, CallDeadline deadline, LeaderCalls via, PutRequest request) {
      limits.checkKey(request.getKey());
      limits.checkValue("value", request.getValue());
      KvCommand command = new KvCommand.Put(request.getKey().toByteArray(), request.getValue().toByteArray(),
          KvLimits.requestId(request.hasRequestId(), request.getRequestId()));
      return write(forwarded, deadline, command, (leader, timeoutMs) -> via.put(leader, timeoutMs, request),
          result -> PutResponse.newBuilder().setRevision(result.revision()).build());
    }

    Future<DeleteResponse> delete(boolean forwarded, CallDeadline deadline, LeaderCalls via, DeleteRequest request) {
      limits.checkKey(request.getKey());
      KvCommand command = new KvCommand.Delete(request.getKey().toByteArray(),
          KvLimits.requestId(request.hasRequestId(), request.getRequestId()));
      return write(forwarded, deadline, command, (leader, timeoutMs) -> via.delete(leader, timeoutMs, request),
          result -> DeleteResponse.newBuilder().setDeleted(result.found()).setRevision(result.revision()).build());
    }

    Future<CompareAndSwapResponse> compareAndSwap(boolean forwarded, CallDeadline deadline, LeaderCalls via,
        CompareAndSwapRequest request) {
      limits.checkKey(request.getKey());
      limits.checkValue("expected", request.getExpected());
      limits.checkValue("new_value", request.getNewValue());
      KvCommand command = new KvCommand.CompareAndSwap(request.getKey().toByteArray(), request.getExpectPresent(),
          request.getExpected().toByteArray(), request.getNewValue().toByteArray(),
          KvLimits.requestId(request.hasRequestId(), request.getRequestId()));
      return write(forwarded, deadline, command, (leader, timeoutMs) -> via.compareAndSwap(leader, timeoutMs, request),
          result -> {
            CompareAndSwapResponse.Builder b = CompareAndSwapResponse.newBuilder()
                .setSucceeded(result.found()).setCurrentPresent(result.present()).setRevision(result.revision());
            if (result.value() != null) b.setCurrentValue(bytes(result.value()));
            return b.build();
          });
    }

    Future<GetResponse> get(boolean forwarded, CallDeadline deadline, LeaderCalls via, GetRequest request) {
      limits.checkKey(request.getKey());
      if (request.getConsistencyValue() < 0 || request.getConsistency() == Consistency.UNRECOGNIZED) {
        throw ClientErrors.invalid("unknown consistency " + request.getConsistencyValue());
      }
      byte[] query = KvCodec.encode(new KvCommand.Get(request.getKey().toByteArray()));
      Future<GetResponse> answer;
      if (request.getConsistency() == Consistency.STALE) {
        answer = node.query(query).map(bytes -> toGetResponse(KvCodec.decodeResult(bytes)));
      } else if (request.getConsistency() == Consistency.LINEARIZABLE) {
        // Served here: the leader only confirms a read index; the read itself is never forwarded (thesis §6.4).
        answer = router.retryLocally(() -> node.linearizableRead(query), deadline)
            .map(bytes -> toGetResponse(KvCodec.decodeResult(bytes)));
      } else {
        // Only the leader holds a lease: followers forward LEASE reads to it.
        answer = router.route(() -> node.leaseRead(query).map(bytes -> toGetResponse(KvCodec.decodeResult(bytes))),
            (leader, timeoutMs) -> via.get(leader, timeoutMs, request),
            forwarded, deadline);
      }
      return answer.recover(err -> failed(ClientErrors.classifyRead(err)));
    }

    private <Resp> Future<Resp> write(boolean forwarded, CallDeadline deadline, KvCommand command,
        BiFunction<SocketAddress, Long, Future<Resp>> forward, Function<KvResult, Resp> toResponse) {
      byte[] encoded = KvCodec.encode(command);
      return router.route(
              () -> quota.admit(command)
                  .compose(held -> node.propose(encoded).onComplete(done -> quota.release(held)))
                  .compose(applied -> answer(KvCodec.decodeResult(applied.result()), toResponse)),
              forward, forwarded, deadline)
          .recover(err -> failed(ClientErrors.classifyWrite(err, deadline)));
    }

    Map<String, String> forwardingHeaders() {
      return Map.of(LeaderRouter.FORWARDED_HEADER, String.valueOf(node.nodeId()));
    }

    private <T> Future<T> failed(ClientFailure failure) {
      return ClientErrors.withLeaderHint(node, failure).compose(Future::failedFuture);
    }
  }

  /** A write the state machine refused (a stale request sequence) changed nothing: FAILED_PRECONDITION. */
  private static <Resp> Future<Resp> answer(KvResult result, Function<KvResult, Resp> toResponse) {
    if (result.error() != null) {
      return Future.failedFuture(
          new ClientFailure(GrpcStatus.FAILED_PRECONDITION, result.error(), ClientFailure.Reason.STALE_SEQUENCE));
    }
    return Future.succeededFuture(toResponse.apply(result));
  }

  static GetResponse toGetResponse(KvResult result) {
    GetResponse.Builder b = GetResponse.newBuilder().setFound(result.found()).setRevision(result.revision());
    if (result.value() != null) b.setValue(bytes(result.value()));
    return b.build();
  }

  private static ByteString bytes(byte[] value) {
    return UnsafeByteOperations.unsafeWrap(value);
  }
}
