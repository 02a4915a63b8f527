package io.raftnode.internal.service;

import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.DeleteRequest;
import io.raftnode.proto.DeleteResponse;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;

/**
 * How a follower hands a client's call to the leader: one unary KvService call each ({@link UnaryLeaderCalls}), or on
 * one session stream per client session ({@link ForwardedSession}). Whichever it is, a call fails as a unary forward
 * does, so {@link LeaderRouter} and {@link ClientErrors} judge it the same way: {@link
 * io.raftnode.internal.transport.RequestNotSentException} when the request never left, a {@link
 * io.raftnode.internal.transport.RemoteCallException} (with the detail of the trailers) for the leader's status, anything
 * else when the request may have reached the leader. Each call carries the hop marker and ends after
 * {@code timeoutMs}.
 */
interface LeaderCalls {
  Future<PutResponse> put(SocketAddress leader, long timeoutMs, PutRequest request);

  Future<GetResponse> get(SocketAddress leader, long timeoutMs, GetRequest request);

  Future<DeleteResponse> delete(SocketAddress leader, long timeoutMs, DeleteRequest request);

  Future<CompareAndSwapResponse> compareAndSwap(SocketAddress leader, long timeoutMs, CompareAndSwapRequest request);
}
