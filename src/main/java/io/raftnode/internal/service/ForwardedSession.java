package io.raftnode.internal.service;

import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.internal.transport.RequestNotSentException;
import io.raftnode.proto.CallError;
import io.raftnode.proto.CompareAndSwapRequest;
import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.DeleteRequest;
import io.raftnode.proto.DeleteResponse;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.KvSessionServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A follower's forwarding for one client session: the session's calls that go to the leader travel on one
 * KvSessionService stream to it ({@link UpstreamSession}) instead of one unary call each, so the leader sees one
 * session from this follower per client session, in the order the client sent the calls, with the hop marker and
 * what is left of the client session's deadline. When the leader moves, the stream to the old one is ended (it still
 * answers what it has) and calls go on a new stream to the new one. A leader that serves no sessions (it answers
 * UNIMPLEMENTED before reading anything) gets this session's calls unary from then on.
 *
 * <p>Backpressure: while the stream's write queue is full the client session stops reading ({@code pause}), and
 * reads again when it drains ({@code resume}).
 */
final class ForwardedSession implements LeaderCalls {
  private final Vertx vertx;
  private final GrpcClient forwarder;
  private final Map<String, String> headers;
  private final CallDeadline deadline;
  private final LeaderCalls unary;
  private final Runnable pause;
  private final Runnable resume;
  private final Set<SocketAddress> withoutSessions = new HashSet<>();
  private UpstreamSession current;
  private boolean closed;

  ForwardedSession(Vertx vertx, GrpcClient forwarder, Map<String, String> headers, CallDeadline deadline,
      LeaderCalls unary, Runnable pause, Runnable resume) {
    this.vertx = vertx;
    this.forwarder = forwarder;
    this.headers = headers;
    this.deadline = deadline;
    this.unary = unary;
    this.pause = pause;
    this.resume = resume;
  }

  @Override
  public Future<PutResponse> put(SocketAddress leader, long timeoutMs, PutRequest request) {
    return forward(leader, timeoutMs, SessionCall.newBuilder().setPut(request), SessionAnswer::getPut,
        () -> unary.put(leader, timeoutMs, request));
  }

  @Override
  public Future<GetResponse> get(SocketAddress leader, long timeoutMs, GetRequest request) {
    return forward(leader, timeoutMs, SessionCall.newBuilder().setGet(request), SessionAnswer::getGet,
        () -> unary.get(leader, timeoutMs, request));
  }

  @Override
  public Future<DeleteResponse> delete(SocketAddress leader, long timeoutMs, DeleteRequest request) {
    return forward(leader, timeoutMs, SessionCall.newBuilder().setDelete(request), SessionAnswer::getDelete,
        () -> unary.delete(leader, timeoutMs, request));
  }

  @Override
  public Future<CompareAndSwapResponse> compareAndSwap(SocketAddress leader, long timeoutMs, CompareAndSwapRequest request) {
    return forward(leader, timeoutMs, SessionCall.newBuilder().setCompareAndSwap(request), SessionAnswer::getCompareAndSwap,
        () -> unary.compareAndSwap(leader, timeoutMs, request));
  }

  /** Whether the stream to the leader has more queued than it takes: the client session should not read on. */
  boolean full() {
    return current != null && current.full();
  }

  /** The client session is over: end the streams to the leader ({@code reset}: at once, dropping their answers). */
  void close(boolean reset) {
    closed = true;
    if (current != null) current.end(reset);
    current = null;
  }

  private <R> Future<R> forward(SocketAddress leader, long timeoutMs, SessionCall.Builder call,
      Function<SessionAnswer, R> pick, Supplier<Future<R>> unaryCall) {
    if (closed) return Future.failedFuture(new RequestNotSentException(leader.toString(), null));
    if (withoutSessions.contains(leader)) return unaryCall.get();
    return upstreamTo(leader).call(call, timeoutMs).transform(done -> {
      if (done.succeeded()) return Future.succeededFuture(pick.apply(done.result()));
      if (done.cause() instanceof SessionsNotServed) {
        withoutSessions.add(leader);
        return unaryCall.get(); // the leader read nothing of the stream: the call was never carried out
      }
      return Future.failedFuture(done.cause());
    });
  }

  private UpstreamSession upstreamTo(SocketAddress leader) {
    if (current != null && current.leader().equals(leader) && current.usable()) return current;
    if (current != null) current.end(false); // the old leader still answers the calls it has
    current = new UpstreamSession(vertx, forwarder, leader, headers, deadline, pause, resume);
    return current;
  }

  /** The leader ended the stream UNIMPLEMENTED before answering anything: it serves no sessions and read none of it. */
  static final class SessionsNotServed extends RuntimeException {
    SessionsNotServed(String message) {
      super(message, null, false, false);
    }
  }

  /** A CallError from the leader, as the status and trailers of the unary call it stands for. */
  static RemoteCallException remoteFailure(CallError error) {
    MultiMap detail = MultiMap.caseInsensitiveMultiMap();
    if (!error.getReason().isEmpty()) detail.set(ClientFailure.REASON, error.getReason());
    if (error.getLeaderId() != 0) detail.set(ClientFailure.LEADER_ID, Long.toUnsignedString(error.getLeaderId()));
    if (!error.getLeaderAddress().isEmpty()) detail.set(ClientFailure.LEADER_ADDRESS, error.getLeaderAddress());
    if (error.getRetryAfterMs() != 0) {
      detail.set(ClientFailure.RETRY_AFTER_MS, Long.toUnsignedString(error.getRetryAfterMs()));
    }
    return new RemoteCallException(GrpcStatus.valueOf(error.getCode()), error.getMessage(), detail);
  }

  static long timeoutOf(CallDeadline deadline) {
    return deadline.bounded() ? Math.max(1, deadline.remainingMs()) : 0;
  }

  static final TimeUnit MS = TimeUnit.MILLISECONDS;
}
