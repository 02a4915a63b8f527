package io.raftnode.internal.transport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.KvServiceGrpcService;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A unary call the stream guard ended at its deadline: the service completing afterwards writes nothing more, and
 * completing it throws nothing at whoever completes it (the node's Raft loop, for a write).
 */
class UnaryHandlerDeadlineTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aServiceThatCompletesAfterTheDeadlineWritesNothingAndThrowsNothing() throws Exception {
    CompletableFuture<Promise<PutResponse>> served = new CompletableFuture<>();
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setScheduleDeadlineAutomatically(false));
    UnaryHandler.serve(grpc, KvServiceGrpcService.Put, request -> {
      Promise<PutResponse> answer = Promise.promise();
      served.complete(answer);
      return answer.future();
    });
    HttpServer server = vertx.createHttpServer().requestHandler(GrpcStreamGuard.around(grpc)).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    GrpcClient client = GrpcClient.client(vertx,
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    Future<PutResponse> call = GrpcCalls.unary(client, SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1"),
        KvServiceGrpcClient.Put, PutRequest.getDefaultInstance(), 200);

    ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> call.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertTrue(failed.getCause() instanceof RemoteCallException remote && remote.status() == GrpcStatus.DEADLINE_EXCEEDED,
        String.valueOf(failed.getCause()));
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
}
