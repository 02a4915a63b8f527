package io.raftnode.api;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.raftnode.proto.KvSessionServiceGrpcService;
import java.util.List;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.raftnode.node.ClientApi;
import io.raftnode.node.RaftNode;
import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.DeleteRequest;
import io.raftnode.proto.DeleteResponse;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.KvServiceGrpcService;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.raftnode.statemachine.KvCodec;
import io.raftnode.statemachine.KvCommand;
import io.raftnode.statemachine.KvResult;
import io.raftnode.transport.GrpcCalls;
import io.raftnode.transport.UnaryHandler;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.Map;

/**
 * KvService on top of {@link io.raftnode.statemachine.KvStateMachine}: writes go through the leader's log
 * (followers forward them). LINEARIZABLE reads use a read index confirmed by the leader and are served from this
 * node's state once it has applied that index; LEASE reads are served by the leader (followers forward them);
 * STALE reads answer from this node's state at once.
 */
public final class KvApi implements ClientApi {

  @Override
  public List<ServiceDescriptor> services() {
    return List.of(KvServiceGrpcService.SERVICE_DESCRIPTOR, KvSessionServiceGrpcService.SERVICE_DESCRIPTOR);
  }

  @Override
  public void bind(GrpcServer server, RaftNode node) {
    GrpcClient forwarder = GrpcClient.client(node.vertx(), node.clientPortCallOptions());
    LeaderRouter router = new LeaderRouter(node);
    Handlers h = new Handlers(node, router, forwarder);
    UnaryHandler.serve(server, KvServiceGrpcService.Put, (call, request) -> h.put(forwarded(call), request));
    UnaryHandler.serve(server, KvServiceGrpcService.Get, (call, request) -> h.get(forwarded(call), request));
    UnaryHandler.serve(server, KvServiceGrpcService.Delete, (call, request) -> h.delete(forwarded(call), request));
    UnaryHandler.serve(server, KvServiceGrpcService.CompareAndSwap,
        (call, request) -> h.compareAndSwap(forwarded(call), request));
    KvSessionEndpoint.bind(server, h);
  }

  private static boolean forwarded(GrpcServerRequest<?, ?> call) {
    return call.headers().contains(LeaderRouter.FORWARDED_HEADER);
  }

  /**
   * The four calls, shared by the unary methods and {@link KvSessionEndpoint}. {@code forwarded} says the call came
   * from another node with the hop marker (so it is served here or refused, never forwarded again).
   */
  record Handlers(RaftNode node, LeaderRouter router, GrpcClient forwarder) {

    Future<PutResponse> put(boolean forwarded, PutRequest request) {
      KvLimits.checkKey(request.getKey());
      KvLimits.checkValue("value", request.getValue());
      KvCommand command = new KvCommand.Put(request.getKey().toByteArray(), request.getValue().toByteArray(),
          KvLimits.requestId(request.hasRequestId(), request.getRequestId()));
      return write(forwarded, command, KvServiceGrpcClient.Put, request,
          result -> PutResponse.newBuilder().setRevision(result.revision()).build());
    }

    Future<DeleteResponse> delete(boolean forwarded, DeleteRequest request) {
      KvLimits.checkKey(request.getKey());
      KvCommand command = new KvCommand.Delete(request.getKey().toByteArray(),
          KvLimits.requestId(request.hasRequestId(), request.getRequestId()));
      return write(forwarded, command, KvServiceGrpcClient.Delete, request,
          result -> DeleteResponse.newBuilder().setDeleted(result.found()).setRevision(result.revision()).build());
    }

    Future<CompareAndSwapResponse> compareAndSwap(boolean forwarded, CompareAndSwapRequest request) {
      KvLimits.checkKey(request.getKey());
      KvLimits.checkValue("expected", request.getExpected());
      KvLimits.checkValue("new_value", request.getNewValue());
      KvCommand command = new KvCommand.CompareAndSwap(request.getKey().toByteArray(), request.getExpectPresent(),
          request.getExpected().toByteArray(), request.getNewValue().toByteArray(),
          KvLimits.requestId(request.hasRequestId(), request.getRequestId()));
      return write(forwarded, command, KvServiceGrpcClient.CompareAndSwap, request, result -> {
        CompareAndSwapResponse.Builder b = CompareAndSwapResponse.newBuilder()
            .setSucceeded(result.found()).setCurrentPresent(result.present()).setRevision(result.revision());
        if (result.value() != null) b.setCurrentValue(bytes(result.value()));
        return b.build();
      });
    }

    Future<GetResponse> get(boolean forwarded, GetRequest request) {
      KvLimits.checkKey(request.getKey());
      if (request.getConsistencyValue() < 0 || request.getConsistency() == Consistency.UNRECOGNIZED) {
        throw ClientErrors.invalid("unknown consistency " + request.getConsistencyValue());
      }
      byte[] query = KvCodec.encode(new KvCommand.Get(request.getKey().toByteArray()));
      Future<byte[]> answer;
      if (request.getConsistency() == Consistency.STALE) {
        answer = node.query(query);
      } else if (request.getConsistency() == Consistency.LINEARIZABLE) {
        // Served here: the leader only confirms a read index; the read itself is never forwarded (thesis §6.4).
        answer = router.retryLocally(() -> node.linearizableRead(query));
      } else {
        // Only the leader holds a lease: followers forward LEASE reads to it.
        return router.route(() -> node.leaseRead(query).map(bytes -> toGetResponse(KvCodec.decodeResult(bytes))),
                (leader, timeoutMs) -> GrpcCalls.unary(forwarder, leader, KvServiceGrpcClient.Get, request, timeoutMs,
                    Map.of(LeaderRouter.FORWARDED_HEADER, String.valueOf(node.nodeId()))),
                forwarded)
            .recover(err -> Future.failedFuture(ClientErrors.toStatus(err)));
      }
      return answer.map(bytes -> toGetResponse(KvCodec.decodeResult(bytes)))
          .recover(err -> Future.failedFuture(ClientErrors.toStatus(err)));
    }

    private <Req, Resp> Future<Resp> write(boolean forwarded, KvCommand command,
        ServiceMethod<Resp, Req> method, Req request, java.util.function.Function<KvResult, Resp> toResponse) {
      byte[] encoded = KvCodec.encode(command);
      return router.route(
              () -> node.propose(encoded).compose(applied -> answer(KvCodec.decodeResult(applied.result()), toResponse)),
              (SocketAddress leader, Long timeoutMs) -> GrpcCalls.unary(forwarder, leader, method, request, timeoutMs,
                  Map.of(LeaderRouter.FORWARDED_HEADER, String.valueOf(node.nodeId()))),
              forwarded)
          .recover(err -> Future.failedFuture(ClientErrors.toStatus(err)));
    }
  }

  /** A write the state machine refused (a stale request sequence) changed nothing: FAILED_PRECONDITION. */
  private static <Resp> Future<Resp> answer(KvResult result, java.util.function.Function<KvResult, Resp> toResponse) {
    if (result.error() != null) {
      return Future.failedFuture(new StatusException(GrpcStatus.FAILED_PRECONDITION, result.error()));
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
