package io.raftnode.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** What a client is made of besides its logic: the gRPC client with its HTTP/2 and TLS settings, callback threads. */
final class ClientConnections {
  private ClientConnections() {}

  /**
   * gRPC over HTTP/2 (prior knowledge for plaintext, ALPN with TLS). A unary call's deadline goes to the node as
   * grpc-timeout, and the client ends the call itself when it passes.
   */
  static GrpcClient grpcClient(Vertx vertx, ClientTls tls, long connectTimeoutMs) {
    HttpClientOptions http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setConnectTimeout((int) Math.max(1, connectTimeoutMs));
    if (tls != null) {
      http.setSsl(true).setUseAlpn(true);
      if (tls.ca() != null) http.setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()));
      if (tls.cert() != null) {
        http.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()));
      }
    }
    return GrpcClient.client(vertx, new GrpcClientOptions().setScheduleDeadlineAutomatically(true), http);
  }

  /** Daemon threads for completing the callers' futures: a blocking callback holds up no other call. */
  static ExecutorService callbackThreads() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newCachedThreadPool(task -> {
      Thread t = new Thread(task, "raftnode-client-callback-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
