package io.raftnode.internal.node;

import io.raftnode.NodeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TCPSSLOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * HTTP/2 and TLS options of the peer and client ports. TLS is TLS 1.3, or 1.2 with ECDHE and AEAD suites only,
 * on the OpenSSL (BoringSSL) engine ({@link TlsEngine}). Keys and certificates are read from their files when a
 * node starts, so a restart picks up a rotated certificate.
 */
public final class PeerTransportOptions {
  /** Largest gRPC message a node accepts: a full AppendEntries batch plus framing. Larger: RESOURCE_EXHAUSTED. */
  static final long MAX_MESSAGE_BYTES = 16L << 20;
  /** Bounds what one connection can hold open at once, so a flood from one peer cannot starve the others. */
  static final long MAX_CONCURRENT_STREAMS = 1000;

  static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");
  /** TLS 1.2 suites with forward secrecy and authenticated encryption; TLS 1.3 suites are all of that kind. */
  static final List<String> TLS12_SUITES = List.of(
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  /**
   * HTTP/2 flow-control windows between peers. The 64 KiB default would let a replication stream carry only
   * 64 KiB per round trip; these let a full window of batches be in flight.
   */
  static final int STREAM_WINDOW_BYTES = 8 << 20;
  static final int CONNECTION_WINDOW_BYTES = 32 << 20;

  private PeerTransportOptions() {}

  /** The largest request message either port accepts; larger ones are refused RESOURCE_EXHAUSTED. */
  public static long maxMessageBytes() {
    return MAX_MESSAGE_BYTES;
  }

  private static Http2Settings http2Settings() {
    return new Http2Settings().setInitialWindowSize(STREAM_WINDOW_BYTES);
  }

  /**
   * Vert.x's gRPC server on the client port, for what the node does not serve itself (health, reflection, an
   * application's services): gRPC over HTTP/2 only, as the node's own methods, with Vert.x keeping each call's
   * deadline. Vert.x would also serve gRPC-Web and transcoded JSON, over HTTP/1.1 too.
   */
  public static GrpcServerOptions grpcServer() {
    return new GrpcServerOptions().setMaxMessageSize(MAX_MESSAGE_BYTES).setScheduleDeadlineAutomatically(true)
        .removeEnabledProtocol(GrpcProtocol.WEB).removeEnabledProtocol(GrpcProtocol.WEB_TEXT)
        .removeEnabledProtocol(GrpcProtocol.TRANSCODING);
  }

  /**
   * The client a node calls its peers with: presents the node's certificate, verifies the peer's and its host. A
   * unary call fails at its own deadline, not only when the peer enforces the grpc-timeout it sent: a peer that
   * never answers (a hung process keeps its connection open) would otherwise hold the call, and the leader's count
   * of appends in flight to it, for good.
   */
  public static GrpcClient client(Vertx vertx, NodeConfig config) {
    return GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(MAX_MESSAGE_BYTES)
        .setScheduleDeadlineAutomatically(true), peerClient(config));
  }

  /** Peer connections get large flow-control windows: replication streams carry many batches at once. */
  static HttpClientOptions peerClient(NodeConfig config) {
    HttpClientOptions http = http2Client()
        .setInitialSettings(http2Settings())
        .setHttp2ConnectionWindowSize(CONNECTION_WINDOW_BYTES);
    NodeConfig.Tls tls = config.tls();
    if (tls.enabled()) {
      secure(http, tls.cert(), tls.key()).setTrustOptions(trust(tls.ca())).setVerifyHost(true);
    }
    return http;
  }

  /** How a follower reaches the leader's client port to forward a write: TLS when the client port uses it. */
  public static HttpClientOptions forwarding(NodeConfig config) {
    HttpClientOptions http = http2Client();
    NodeConfig.ClientTls tls = config.clientTls();
    if (tls.enabled()) {
      secure(http, tls.cert(), tls.key()).setTrustOptions(trust(tls.ca())).setVerifyHost(true);
    }
    return http;
  }

  public static HttpServerOptions peerServer(NodeConfig config) {
    HttpServerOptions options = server().setHttp2ConnectionWindowSize(CONNECTION_WINDOW_BYTES);
    options.getInitialSettings().setInitialWindowSize(STREAM_WINDOW_BYTES);
    NodeConfig.Tls tls = config.tls();
    if (tls.enabled()) {
      secure(options, tls.cert(), tls.key()).setTrustOptions(trust(tls.ca())).setClientAuth(ClientAuth.REQUIRED);
    }
    return options;
  }

  public static HttpServerOptions clientServer(NodeConfig config) {
    HttpServerOptions options = server();
    NodeConfig.ClientTls tls = config.clientTls();
    if (tls.enabled()) {
      secure(options, tls.cert(), tls.key());
      if (tls.requireClientCert()) options.setTrustOptions(trust(tls.ca())).setClientAuth(ClientAuth.REQUIRED);
    }
    return options;
  }

  private static HttpClientOptions http2Client() {
    return new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setHttp2MultiplexingLimit(-1);
  }

  private static HttpServerOptions server() {
    HttpServerOptions options = new HttpServerOptions();
    options.getInitialSettings().setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
    return options;
  }

  private static <T extends TCPSSLOptions> T secure(T options, Path cert, Path key) {
    options.setSsl(true).setUseAlpn(true)
        .setSslEngineOptions(new OpenSSLEngineOptions())
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
    TLS13_SUITES.forEach(options::addEnabledCipherSuite);
    TLS12_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  private static PemTrustOptions trust(Path ca) {
    return new PemTrustOptions().addCertPath(ca.toString());
  }
}
