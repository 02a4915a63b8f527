package io.raftnode.internal.cli;

import io.raftnode.proto.AdminServiceGrpcService;
import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * An in-process gRPC server on a free port that answers each method with a canned reply or a gRPC error. A method
 * can be given answers for its first calls ({@link #failFirst}) before the one it gives from then on.
 */
final class FakeNode implements AutoCloseable {
  /** A call as the fake received it. */
  record Received(Object request, String timeoutHeader) {}

  private final Vertx vertx = Vertx.vertx();
  private final GrpcServer grpc = GrpcServer.server(vertx);
  private final Map<String, Behaviour<?, ?>> behaviours = new ConcurrentHashMap<>();
  private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
  private HttpServer http;
  volatile Object lastRequest;
  volatile String lastTimeoutHeader;

  /** Answers {@code method} with {@code reply(request)}. */
  <Req, Resp> FakeNode answer(ServiceMethod<Req, Resp> method, Function<Req, Resp> reply) {
    behaviour(method).always = (call, request) -> call.response().end(reply.apply(request));
    return this;
  }

  /** Fails {@code method} with {@code status} and {@code message}, as a node without a leader would. */
  <Req, Resp> FakeNode fail(ServiceMethod<Req, Resp> method, GrpcStatus status, String message) {
    return fail(method, status, message, Map.of());
  }

  /** {@link #fail(ServiceMethod, GrpcStatus, String)} with {@code trailers} (README, "Errors"). */
  <Req, Resp> FakeNode fail(ServiceMethod<Req, Resp> method, GrpcStatus status, String message,
      Map<String, String> trailers) {
    behaviour(method).always = (call, request) -> {
      trailers.forEach(call.response().trailers()::set);
      call.response().status(status).statusMessage(message).end();
    };
    return this;
  }

  /**
   * Fails the next call of {@code method} that no earlier {@code failFirst} is waiting for with {@code status},
   * {@code message} and {@code trailers} (the raftnode-error reason, the leader it names: README, "Errors").
   */
  <Req, Resp> FakeNode failFirst(ServiceMethod<Req, Resp> method, GrpcStatus status, String message,
      Map<String, String> trailers) {
    behaviour(method).first.add((call, request) -> {
      trailers.forEach(call.response().trailers()::set);
      call.response().status(status).statusMessage(message).end();
    });
    return this;
  }

  /** Reads the request and never answers, like a node stuck without a quorum. */
  <Req, Resp> FakeNode hang(ServiceMethod<Req, Resp> method) {
    behaviour(method).always = (call, request) -> {};
    return this;
  }

  /** Reads the request and closes the connection without answering, like a node that dies mid-call. */
  <Req, Resp> FakeNode dropConnection(ServiceMethod<Req, Resp> method) {
    behaviour(method).always = (call, request) -> call.connection().close();
    return this;
  }

  /** Answers AdminService Status as the leader of a cluster of itself alone, naming its own client address. */
  FakeNode leading() {
    return answer(AdminServiceGrpcService.Status, r -> StatusResponse.newBuilder().setNodeId(1).setRole("leader")
        .setLeaderId(1).addMembers(MemberStatus.newBuilder().setNodeId(1).setClientAddress(address())).build());
  }

  /** Answers AdminService Status as follower 1 of a cluster whose leader, node 2, has client address {@code leader}. */
  FakeNode following(String leader) {
    return answer(AdminServiceGrpcService.Status, r -> StatusResponse.newBuilder().setNodeId(1).setRole("follower")
        .setLeaderId(2).addMembers(MemberStatus.newBuilder().setNodeId(1).setClientAddress(address()))
        .addMembers(MemberStatus.newBuilder().setNodeId(2).setClientAddress(leader)).build());
  }

  /** The calls of {@code method} received so far, oldest first. */
  List<Received> received(ServiceMethod<?, ?> method) {
    return received.computeIfAbsent(method.fullMethodName(), name -> new CopyOnWriteArrayList<>());
  }

  /** The request of the latest call of {@code method}. */
  @SuppressWarnings("unchecked")
  <Req> Req last(ServiceMethod<Req, ?> method) {
    List<Received> calls = received(method);
    if (calls.isEmpty()) throw new AssertionError("no call of " + method.fullMethodName() + " received");
    return (Req) calls.get(calls.size() - 1).request();
  }

  /** What a method does with a call: the answers queued for its first calls, then the one it gives from then on. */
  private static final class Behaviour<Req, Resp> {
    final Queue<BiConsumer<GrpcServerRequest<Req, Resp>, Req>> first = new ConcurrentLinkedQueue<>();
    volatile BiConsumer<GrpcServerRequest<Req, Resp>, Req> always = (call, request) ->
        call.response().status(GrpcStatus.UNIMPLEMENTED).end();

    void serve(GrpcServerRequest<Req, Resp> call, Req request) {
      BiConsumer<GrpcServerRequest<Req, Resp>, Req> next = first.poll();
      (next != null ? next : always).accept(call, request);
    }
  }

  @SuppressWarnings("unchecked")
  private <Req, Resp> Behaviour<Req, Resp> behaviour(ServiceMethod<Req, Resp> method) {
    return (Behaviour<Req, Resp>) behaviours.computeIfAbsent(method.fullMethodName(), name -> {
      Behaviour<Req, Resp> behaviour = new Behaviour<>();
      grpc.callHandler(method, call -> call.handler(request -> {
        remember(method, call, request);
        behaviour.serve(call, request);
      }));
      return behaviour;
    });
  }

  private void remember(ServiceMethod<?, ?> method, GrpcServerRequest<?, ?> call, Object request) {
    String timeout = call.headers().get("grpc-timeout");
    received(method).add(new Received(request, timeout));
    lastTimeoutHeader = timeout;
    lastRequest = request;
  }

  /** Starts listening and returns "127.0.0.1:PORT". */
  String start() throws Exception {
    http = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(grpc)
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return address();
  }

  /** "127.0.0.1:PORT", once started. */
  String address() {
    return "127.0.0.1:" + http.actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
