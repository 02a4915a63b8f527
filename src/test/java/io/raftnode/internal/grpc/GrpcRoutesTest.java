package io.raftnode.internal.grpc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.KvServiceGrpcService;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.RaftServiceGrpcClient;
import io.raftnode.proto.RaftServiceGrpcService;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.AdminServiceGrpcService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gRPC layer served to Vert.x's own gRPC client: the wire is standard gRPC. */
@Timeout(60)
class GrpcRoutesTest {
  private static final GrpcMethod<PutRequest, PutResponse> PUT = GrpcMethod.of(KvServiceGrpcService.Put,
      PutRequest.parser());
  private static final GrpcMethod<RaftPayload, RaftPayload> STREAM = GrpcMethod.of(RaftServiceGrpcService.StreamAppend,
      RaftPayload.parser());
  private final Vertx vertx = Vertx.vertx();
  private final GrpcClient client = GrpcClient.client(vertx,
      new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private SocketAddress listen(GrpcRoutes routes) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(routes).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static RemoteCallException remoteFailure(Future<?> call) {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> await(call));
    assertTrue(failed.getCause() instanceof RemoteCallException, String.valueOf(failed.getCause()));
    return (RemoteCallException) failed.getCause();
  }

  private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(5);
    }
  }

  private static RaftPayload payload(int i, int size) {
    byte[] data = new byte[size];
    data[0] = (byte) i;
    data[1] = (byte) (i >> 8);
    return RaftPayload.newBuilder().setData(ByteString.copyFrom(data)).build();
  }

  private static int index(RaftPayload p) {
    return (p.getData().byteAt(0) & 0xff) | (p.getData().byteAt(1) & 0xff) << 8;
  }

  @Test
  void aUnaryCallIsAnsweredWithItsMessageOrItsStatusAndTrailers() throws Exception {
    GrpcRoutes routes = new GrpcRoutes(1 << 20, null);
    UnaryCalls.serve(routes, PUT, request -> switch (request.getKey().toStringUtf8()) {
      case "ok" -> Future.succeededFuture(PutResponse.newBuilder().setRevision(request.getValue().size()).build());
      case "refused" -> Future.failedFuture(new StatusException(GrpcStatus.FAILED_PRECONDITION, "100% refused"));
      case "detailed" -> Future.failedFuture(new StatusWithTrailers(GrpcStatus.UNAVAILABLE, "no leader",
          Map.of("raftnode-error", "not-leader")));
      default -> throw new IllegalStateException("a bug");
    });
    SocketAddress at = listen(routes);
    PutRequest.Builder put = PutRequest.newBuilder().setValue(ByteString.copyFrom(new byte[70_000]));

    PutResponse ok = await(GrpcCalls.unary(client, at, KvServiceGrpcClient.Put, put.setKey(utf8("ok")).build(), 5000));
    assertEquals(70_000, ok.getRevision(), "a request split over several HTTP/2 frames arrives whole");
    RemoteCallException refused = remoteFailure(GrpcCalls.unary(client, at, KvServiceGrpcClient.Put,
        put.setKey(utf8("refused")).build(), 5000));
    assertEquals(GrpcStatus.FAILED_PRECONDITION, refused.status());
    assertEquals("100% refused", refused.statusMessage());
    RemoteCallException detailed = remoteFailure(GrpcCalls.unary(client, at, KvServiceGrpcClient.Put,
        put.setKey(utf8("detailed")).build(), 5000));
    assertEquals(GrpcStatus.UNAVAILABLE, detailed.status());
    assertEquals("not-leader", detailed.metadata("raftnode-error"));
    RemoteCallException bug = remoteFailure(GrpcCalls.unary(client, at, KvServiceGrpcClient.Put,
        put.setKey(utf8("bug")).build(), 5000));
    assertEquals(GrpcStatus.INTERNAL, bug.status());
  }

  @Test
  void unknownMethodsAreUnimplementedAndOtherServicesGoToTheFallback() throws Exception {
    GrpcServer vertxServer = GrpcServer.server(vertx);
    vertxServer.callHandler(AdminServiceGrpcService.Status,
        call -> call.handler(request -> call.response().end(StatusResponse.newBuilder().setNodeId(9).build())));
    GrpcRoutes routes = new GrpcRoutes(1 << 20, vertxServer);
    UnaryCalls.serve(routes, PUT, request -> Future.succeededFuture(PutResponse.getDefaultInstance()));
    SocketAddress at = listen(routes);

    assertEquals(9, await(GrpcCalls.unary(client, at, AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance(),
        5000)).getNodeId(), "a service the layer does not serve is Vert.x's");
    assertEquals(GrpcStatus.UNIMPLEMENTED, remoteFailure(GrpcCalls.unary(client, at, KvServiceGrpcClient.Get,
        io.raftnode.proto.GetRequest.getDefaultInstance(), 5000)).status(), "a method of a service the layer serves");

    GrpcRoutes alone = new GrpcRoutes(1 << 20, null);
    UnaryCalls.serve(alone, PUT, request -> Future.succeededFuture(PutResponse.getDefaultInstance()));
    assertEquals(GrpcStatus.UNIMPLEMENTED, remoteFailure(GrpcCalls.unary(client, listen(alone),
        AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance(), 5000)).status());
  }

  @Test
  void aMessageThatIsNotTheMethodsTypeIsInvalidArgumentAndOneOverTheLimitResourceExhausted() throws Exception {
    AtomicInteger served = new AtomicInteger();
    GrpcRoutes routes = new GrpcRoutes(1000, null);
    UnaryCalls.serve(routes, PUT, request -> {
      served.incrementAndGet();
      return Future.succeededFuture(PutResponse.getDefaultInstance());
    });
    SocketAddress at = listen(routes);
    ServiceMethod<Buffer, Buffer> raw = ServiceMethod.client(ServiceName.create("raftnode.v1.KvService"), "Put",
        GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

    RemoteCallException garbage = remoteFailure(GrpcCalls.unary(client, at, raw,
        Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}), 5000));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, garbage.status());
    assertTrue(garbage.statusMessage().startsWith("malformed Put request"), garbage.statusMessage());
    RemoteCallException large = remoteFailure(GrpcCalls.unary(client, at, raw, Buffer.buffer(new byte[1001]), 5000));
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, large.status());
    assertEquals(0, served.get(), "neither reached the service");
  }

  @Test
  void aServiceThatCompletesAfterTheDeadlineWritesNothingAndThrowsNothing() throws Exception {
    CompletableFuture<Promise<PutResponse>> served = new CompletableFuture<>();
    GrpcRoutes routes = new GrpcRoutes(1 << 20, null);
    UnaryCalls.serve(routes, PUT, request -> {
      Promise<PutResponse> answer = Promise.promise();
      served.complete(answer);
      return answer.future();
    });
    SocketAddress at = listen(routes);

    RemoteCallException late = remoteFailure(GrpcCalls.unary(client, at, KvServiceGrpcClient.Put,
        PutRequest.getDefaultInstance(), 200));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, late.status());
    Promise<PutResponse> answer = served.get(10, TimeUnit.SECONDS);
    // Completed on the server's context, as the node completes a write's future on its event loop.
    CompletableFuture<Void> completed = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      try {
        answer.complete(PutResponse.newBuilder().setRevision(7).build());
        completed.complete(null);
      } catch (RuntimeException e) {
        completed.completeExceptionally(e);
      }
    });
    assertDoesNotThrow(() -> completed.get(10, TimeUnit.SECONDS));
  }

  /** A bidirectional method that echoes each message, handing the calls to {@code onCall} first. */
  private SocketAddress echo(Consumer<ServerCall<RaftPayload, RaftPayload>> onCall) throws Exception {
    GrpcRoutes routes = new GrpcRoutes(1 << 20, null);
    routes.bind(STREAM, call -> {
      call.handler(call::write);
      call.endHandler(v -> call.end(GrpcStatus.OK, null));
      onCall.accept(call);
    });
    return listen(routes);
  }

  @Test
  void aPausedCallReadsNothingMoreAndTheClientBacksUpUntilItResumes() throws Exception {
    List<Integer> received = new CopyOnWriteArrayList<>();
    CompletableFuture<ServerCall<RaftPayload, RaftPayload>> paused = new CompletableFuture<>();
    SocketAddress at = echo(call -> call.handler(message -> {
      received.add(index(message));
      if (received.size() == 1) {
        call.pause();
        paused.complete(call);
      }
      call.write(message);
    }));
    GrpcClientRequest<RaftPayload, RaftPayload> request = await(client.request(at, RaftServiceGrpcClient.StreamAppend));
    List<Integer> echoed = new CopyOnWriteArrayList<>();
    request.response().onSuccess(response -> response.handler(m -> echoed.add(index(m))));
    int total = 2000;
    AtomicInteger sent = new AtomicInteger();
    AtomicBoolean backedUp = new AtomicBoolean();
    // Writes until the write queue is full: with the server paused, HTTP/2 flow control must stop the client.
    vertx.runOnContext(v -> writeUntilFull(request, sent, total, backedUp));
    ServerCall<RaftPayload, RaftPayload> call = paused.get(10, TimeUnit.SECONDS);
    awaitCondition("the client's write queue to fill", backedUp::get);
    int whilePaused = received.size();
    assertTrue(sent.get() < total, "the client could not send everything while the server read nothing");
    vertx.runOnContext(v -> {
      call.resume();
      request.drainHandler(x -> writeUntilFull(request, sent, total, backedUp));
    });
    awaitCondition("every message to be echoed", () -> echoed.size() == total);
    assertTrue(whilePaused < total, "messages were held back while paused: " + whilePaused);
    for (int i = 0; i < total; i++) assertEquals(i & 0xffff, received.get(i), "in order");
  }

  private static void writeUntilFull(GrpcClientRequest<RaftPayload, RaftPayload> request, AtomicInteger sent, int total,
      AtomicBoolean backedUp) {
    while (sent.get() < total) {
      if (request.writeQueueFull()) {
        backedUp.set(true);
        return;
      }
      request.write(payload(sent.getAndIncrement(), 1024));
    }
    request.end();
  }

  @Test
  void aClientResetCancelsTheCall() throws Exception {
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    CompletableFuture<Void> first = new CompletableFuture<>();
    SocketAddress at = echo(call -> call.handler(message -> first.complete(null))
        .cancelHandler(v -> cancelled.complete(null)));
    GrpcClientRequest<RaftPayload, RaftPayload> request = await(client.request(at, RaftServiceGrpcClient.StreamAppend));
    request.write(payload(1, 10));
    first.get(10, TimeUnit.SECONDS);
    request.cancel();
    cancelled.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aStreamsDeadlineEndsItInTheTrailersAfterItsAnswers() throws Exception {
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    SocketAddress at = echo(call -> call.cancelHandler(v -> cancelled.complete(null)));
    GrpcClientRequest<RaftPayload, RaftPayload> request = await(client.request(at, RaftServiceGrpcClient.StreamAppend));
    request.timeout(300, TimeUnit.MILLISECONDS);
    List<Integer> echoed = new CopyOnWriteArrayList<>();
    CompletableFuture<GrpcStatus> status = new CompletableFuture<>();
    collect(request, echoed, status);
    request.write(payload(3, 10));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, status.get(10, TimeUnit.SECONDS));
    assertEquals(List.of(3), echoed, "the answer before the deadline arrived");
    cancelled.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aHandlerThatThrowsAnswersInternalAndIsCancelled() throws Exception {
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    SocketAddress at = echo(call -> call.handler(message -> {
      throw new IllegalStateException("a bug");
    }).cancelHandler(v -> cancelled.complete(null)));
    ServiceMethod<RaftPayload, RaftPayload> unaryView = RaftServiceGrpcClient.StreamAppend;
    RemoteCallException failed = remoteFailure(GrpcCalls.unary(client, at, unaryView, payload(1, 10), 5000));
    assertEquals(GrpcStatus.INTERNAL, failed.status());
    assertTrue(failed.statusMessage().contains("a bug"), failed.statusMessage());
    cancelled.get(10, TimeUnit.SECONDS);
  }

  @Test
  void answersWrittenInOneTaskArriveInOrderAndBeforeTheStatusThatFollowsThem() throws Exception {
    GrpcRoutes routes = new GrpcRoutes(1 << 20, null);
    // Each request asks for a burst of answers written from a timer (not while the request is read), with the
    // call ended in the same task: after 3 answers by its last message, after 2 by a status.
    routes.bind(STREAM, call -> call.handler(request -> vertx.setTimer(1, id -> {
      int count = index(request);
      for (int i = 0; i < count; i++) call.write(payload(100 * count + i, 10 + 2000 * i));
      if (count == 3) call.end(payload(999, 10));
      if (count == 2) call.end(GrpcStatus.ABORTED, "after two");
    })));
    SocketAddress at = listen(routes);
    for (int count : new int[] {3, 2}) {
      GrpcClientRequest<RaftPayload, RaftPayload> request = await(client.request(at, RaftServiceGrpcClient.StreamAppend));
      List<Integer> answers = new CopyOnWriteArrayList<>();
      CompletableFuture<GrpcStatus> status = new CompletableFuture<>();
      collect(request, answers, status);
      request.write(payload(count, 10));
      if (count == 3) {
        assertEquals(GrpcStatus.OK, status.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(300, 301, 302, 999), answers);
      } else {
        assertEquals(GrpcStatus.ABORTED, status.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(200, 201), answers);
      }
    }
  }

  @Test
  void answersWrittenFromAnotherThreadArriveAllInOrder() throws Exception {
    GrpcRoutes routes = new GrpcRoutes(1 << 20, null);
    int count = 2000;
    // A handler whose work completes elsewhere (a worker, another verticle's event loop) writes from there.
    routes.bind(STREAM, call -> call.handler(request -> new Thread(() -> {
      for (int i = 0; i < count; i++) call.write(payload(i, 10));
      call.end(payload(count, 10));
    }).start()));
    SocketAddress at = listen(routes);
    GrpcClientRequest<RaftPayload, RaftPayload> request = await(client.request(at, RaftServiceGrpcClient.StreamAppend));
    List<Integer> answers = new CopyOnWriteArrayList<>();
    CompletableFuture<GrpcStatus> status = new CompletableFuture<>();
    collect(request, answers, status);
    request.write(payload(0, 10));
    assertEquals(GrpcStatus.OK, status.get(20, TimeUnit.SECONDS));
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i <= count; i++) if (!answers.contains(i)) missing.add(i);
    assertEquals(List.of(), missing, "answers lost");
    for (int i = 0; i <= count; i++) assertEquals(i, answers.get(i), "answer in place " + i);
  }

  /** Collects the answers' indexes into {@code answers} and completes {@code status} with the call's status. */
  private static void collect(GrpcClientRequest<RaftPayload, RaftPayload> request, List<Integer> answers,
      CompletableFuture<GrpcStatus> status) {
    request.response().onSuccess(response -> {
      response.handler(m -> answers.add(index(m)));
      response.endHandler(v -> status.complete(response.status()));
      response.exceptionHandler(e -> status.complete(response.status()));
    });
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
