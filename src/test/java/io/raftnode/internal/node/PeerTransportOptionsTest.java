package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.HostAndPort;
import io.raftnode.NodeConfig;
import io.raftnode.cluster.TestCerts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node calling a peer checks the peer's certificate against the CA and against the host it dialled. */
@Timeout(60)
class PeerTransportOptionsTest {
  @TempDir
  Path dir;

  @Test
  void aPeerWhoseCertificateDoesNotNameTheDialledHostIsRefused() throws Exception {
    Path certs = TestCerts.cluster(dir.resolve("tls"), 2);
    // Made the same way and differing only in the host they name.
    TestCerts.signed(certs, dir.resolve("here"), "node1", "IP:127.0.0.1,URI:raftnode://node/1");
    TestCerts.signed(certs, dir.resolve("elsewhere"), "node1", "DNS:example.com,URI:raftnode://node/1");
    Vertx vertx = Vertx.vertx();
    try {
      NodeConfig caller = config(2, certs.resolve("node2.crt"), certs.resolve("node2.key"), certs);
      NodeConfig rightHost = config(1, dir.resolve("here/node1.crt"), dir.resolve("here/node1.key"), certs);
      NodeConfig wrongHost = config(1, dir.resolve("elsewhere/node1.crt"), dir.resolve("elsewhere/node1.key"), certs);
      assertEquals("ok", call(vertx, rightHost, caller));
      String refused = call(vertx, wrongHost, caller);
      assertTrue(refused.startsWith("failed: "), refused);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A peer that takes a request and never answers (a hung process keeps its connection open) fails the call at its
   * deadline: the leader counts each append until it is answered or failed, so an append left hanging would stop
   * replication to that peer for good.
   */
  @Test
  void aCallToAPeerThatNeverAnswersFailsAtItsDeadline() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      io.vertx.grpc.server.GrpcServer grpc = io.vertx.grpc.server.GrpcServer.server(vertx);
      grpc.callHandler(io.raftnode.proto.RaftServiceGrpcService.AppendEntries, request -> request.handler(m -> {}));
      HttpServer http = vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      NodeConfig caller = new NodeConfig(2, HostAndPort.parse("127.0.0.1:1"), HostAndPort.parse("127.0.0.1:2"),
          dir.resolve("data"), new TreeMap<>(), new NodeConfig.Tls(false, null, null, null),
          new NodeConfig.ClientTls(false, false, null, null, null), new NodeConfig.RaftTimings(50, 150, 300));
      io.raftnode.internal.transport.PeerClient peer = new io.raftnode.internal.transport.PeerClient(vertx,
          PeerTransportOptions.client(vertx, caller), new HostAndPort("127.0.0.1", http.actualPort()), 300, false,
          new io.raftnode.internal.transport.AppendEncodings());
      var request = new io.raftnode.internal.model.AppendEntriesRequest(io.raftnode.internal.model.Vote.INITIAL, null, java.util.List.of(), null);
      // Failed (Vert.x cancels the call at its deadline), not still waiting long after its 300 ms.
      org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> peer.appendEntries(request).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Serves the peer port of {@code server} and calls it 127.0.0.1 with {@code caller}'s peer client options. */
  private static String call(Vertx vertx, NodeConfig server, NodeConfig caller) throws Exception {
    HttpServer http = vertx.createHttpServer(PeerTransportOptions.peerServer(server))
        .requestHandler(request -> request.response().end("ok"))
        .listen(server.peerAddress().port(), "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient(PeerTransportOptions.peerClient(caller));
    try {
      return client.request(HttpMethod.GET, server.peerAddress().port(), "127.0.0.1", "/")
          .compose(request -> request.send().compose(response -> response.body()))
          .map(Object::toString)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return "failed: " + e.getCause();
    } finally {
      client.close();
      http.close();
    }
  }

  private NodeConfig config(long id, Path cert, Path key, Path certs) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return new NodeConfig(id, HostAndPort.parse("127.0.0.1:" + port), HostAndPort.parse("127.0.0.1:" + (port + 1)),
        dir.resolve("data" + id), new TreeMap<>(), new NodeConfig.Tls(true, cert, key, certs.resolve("ca.crt")),
        new NodeConfig.ClientTls(false, false, null, null, null), new NodeConfig.RaftTimings(50, 150, 300)).validate();
  }
}
