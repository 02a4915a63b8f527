package io.raftnode.node;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.server.GrpcServerOptions;

/** HTTP/2 and TLS options of the peer and client ports. */
final class PeerTransportOptions {
  /** Largest gRPC message a node accepts: a full AppendEntries batch plus framing. */
  static final long MAX_MESSAGE_BYTES = 16L << 20;

  /**
   * HTTP/2 flow-control windows between peers. The 64 KiB default would let a replication stream carry only
   * 64 KiB per round trip; these let a full window of batches be in flight.
   */
  static final int STREAM_WINDOW_BYTES = 8 << 20;
  static final int CONNECTION_WINDOW_BYTES = 32 << 20;

  private PeerTransportOptions() {}

  private static Http2Settings http2Settings() {
    return new Http2Settings().setInitialWindowSize(STREAM_WINDOW_BYTES);
  }

  static GrpcServerOptions grpcServer() {
    return new GrpcServerOptions().setMaxMessageSize(MAX_MESSAGE_BYTES).setScheduleDeadlineAutomatically(true);
  }

  static GrpcClient client(Vertx vertx, NodeConfig config) {
    HttpClientOptions http = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setInitialSettings(http2Settings())
        .setHttp2ConnectionWindowSize(CONNECTION_WINDOW_BYTES)
        .setHttp2MultiplexingLimit(-1);
    NodeConfig.Tls tls = config.tls();
    if (tls.enabled()) {
      http.setSsl(true).setUseAlpn(true)
          .setSslEngineOptions(new OpenSSLEngineOptions())
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()))
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()));
    }
    return GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(MAX_MESSAGE_BYTES), http);
  }

  static HttpServerOptions peerServer(NodeConfig config) {
    HttpServerOptions options = new HttpServerOptions()
        .setInitialSettings(http2Settings())
        .setHttp2ConnectionWindowSize(CONNECTION_WINDOW_BYTES);
    NodeConfig.Tls tls = config.tls();
    if (tls.enabled()) {
      options.setSsl(true).setUseAlpn(true)
          .setSslEngineOptions(new OpenSSLEngineOptions())
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()))
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return options;
  }

  static HttpServerOptions clientServer(NodeConfig config) {
    HttpServerOptions options = new HttpServerOptions();
    NodeConfig.ClientTls tls = config.clientTls();
    if (tls.enabled()) {
      options.setSsl(true).setUseAlpn(true)
          .setSslEngineOptions(new OpenSSLEngineOptions())
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()));
      if (tls.requireClientCert()) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString())).setClientAuth(ClientAuth.REQUIRED);
      }
    }
    return options;
  }
}
