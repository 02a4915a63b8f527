package io.raftnode.internal.service;

import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.node.InternalNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.concurrent.TimeUnit;

/** KvService served for {@code node} as the node's client port serves it: on the node's gRPC layer, which keeps deadlines. */
final class KvApiServer {
  private KvApiServer() {}

  /** Starts the server on a free loopback port and returns its address. */
  static SocketAddress start(Vertx vertx, InternalNode node) throws Exception {
    GrpcRoutes routes = new GrpcRoutes(16L << 20, null);
    new KvApi().bind(routes, node);
    HttpServer server = vertx.createHttpServer().requestHandler(routes).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1");
  }

  /** A plaintext HTTP/2 gRPC client, as a caller of that port uses. */
  static GrpcClient client(Vertx vertx) {
    return GrpcClient.client(vertx,
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }
}
