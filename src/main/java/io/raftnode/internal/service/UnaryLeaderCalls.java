package io.raftnode.internal.service;

import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.DeleteRequest;
import io.raftnode.proto.DeleteResponse;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.Map;

/** Forwarding as one unary KvService call per client call, with the hop marker. */
record UnaryLeaderCalls(GrpcClient forwarder, Map<String, String> headers) implements LeaderCalls {

  @Override
  public Future<PutResponse> put(SocketAddress leader, long timeoutMs, PutRequest request) {
    return GrpcCalls.unary(forwarder, leader, KvServiceGrpcClient.Put, request, timeoutMs, headers);
  }

  @Override
  public Future<GetResponse> get(SocketAddress leader, long timeoutMs, GetRequest request) {
    return GrpcCalls.unary(forwarder, leader, KvServiceGrpcClient.Get, request, timeoutMs, headers);
  }

  @Override
  public Future<DeleteResponse> delete(SocketAddress leader, long timeoutMs, DeleteRequest request) {
    return GrpcCalls.unary(forwarder, leader, KvServiceGrpcClient.Delete, request, timeoutMs, headers);
  }

  @Override
  public Future<CompareAndSwapResponse> compareAndSwap(SocketAddress leader, long timeoutMs, CompareAndSwapRequest request) {
    return GrpcCalls.unary(forwarder, leader, KvServiceGrpcClient.CompareAndSwap, request, timeoutMs, headers);
  }
}
