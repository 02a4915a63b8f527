package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.HostAndPort;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may talk to a node's peer port under mTLS: only a holder of a certificate from the cluster CA, and only for
 * the node its certificate names. Every refusal leaves the node's term, leader and log as they were.
 */
@Timeout(120)
class PeerAuthTest {

  @TempDir
  Path dir;

  @Test
  void strangersAndImpostorsAreRefusedAndLeaveNoTrace() throws Exception {
    Path certs = TestCerts.cluster(dir.resolve("tls"), 3);
    Path otherCa = TestCerts.cluster(dir.resolve("other-ca"), 3);
    TestCerts.expired(certs, dir.resolve("expired"), 2);
    Path ca = certs.resolve("ca.crt");
    try (TestCluster cluster = new TestCluster(dir.resolve("data"), 3, certs, false)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long target = leader == 1 ? 2 : 1;
      long impostor = 6 - leader - target; // the third node, neither leader nor target
      StatusResponse before = cluster.client(target).status();
      HostAndPort peer = cluster.config(target).peerAddress();
      // Requests that would move the target's term far ahead if they were let in.
      long term = before.getTerm() + 50;
      VoteRequest vote = new VoteRequest(Vote.of(term, impostor, false), LogId.of(term, impostor, 1000), false);
      AppendEntriesRequest append = new AppendEntriesRequest(Vote.of(term, impostor, true), null, List.of(), null);

      Map<String, HttpClientOptions> noHandshake = Map.of(
          "plaintext", PeerCalls.plaintext(),
          "no client certificate", PeerCalls.tls(ca, null, null),
          "a certificate from another CA", PeerCalls.tls(ca, otherCa.resolve("node" + impostor + ".crt"),
              otherCa.resolve("node" + impostor + ".key")),
          "an expired certificate", PeerCalls.tls(ca, dir.resolve("expired/expired.crt"), dir.resolve("expired/expired.key")));
      for (Map.Entry<String, HttpClientOptions> client : noHandshake.entrySet()) {
        try (PeerCalls calls = new PeerCalls(cluster.vertx, peer, client.getValue())) {
          assertNull(PeerCalls.status(calls.vote(vote)), client.getKey() + ": the connection is refused");
          assertNull(PeerCalls.status(calls.append(append)), client.getKey() + ": the connection is refused");
        }
      }

      long other = impostor == 3 ? 1 : 3;
      try (PeerCalls wrongNode = new PeerCalls(cluster.vertx, peer, PeerCalls.tls(ca,
              certs.resolve("node" + other + ".crt"), certs.resolve("node" + other + ".key")));
          PeerCalls noIdentity = new PeerCalls(cluster.vertx, peer, PeerCalls.tls(ca,
              certs.resolve("client.crt"), certs.resolve("client.key")))) {
        for (PeerCalls calls : List.of(wrongNode, noIdentity)) {
          assertEquals(GrpcStatus.PERMISSION_DENIED, PeerCalls.status(calls.vote(vote)));
          assertEquals(GrpcStatus.PERMISSION_DENIED, PeerCalls.status(calls.append(append)));
        }
      }

      try (PeerCalls rightNode = new PeerCalls(cluster.vertx, peer, PeerCalls.tls(ca,
          certs.resolve("node" + impostor + ".crt"), certs.resolve("node" + impostor + ".key")))) {
        // The right certificate gets past the identity check; a request that breaks the rules still stops there.
        AppendEntriesRequest gap = new AppendEntriesRequest(Vote.of(term, impostor, true), LogId.of(1, impostor, 5),
            List.of(new Entry(LogId.of(term, impostor, 7), new EntryPayload.Blank())), null);
        assertEquals(GrpcStatus.INVALID_ARGUMENT, PeerCalls.status(rightNode.append(gap)));
      }

      StatusResponse after = cluster.client(target).status();
      assertEquals(before.getTerm(), after.getTerm(), "term unchanged");
      assertEquals(leader, after.getLeaderId(), "still following the same leader");
      assertEquals(before.getLastLogIndex(), after.getLastLogIndex(), "log unchanged");
      assertNotEquals(0, TestCluster.await(cluster.client(target).put("still", "serving")).getRevision());
      assertTrue(cluster.client(target).status().getTerm() >= before.getTerm());
    }
  }

  @Test
  void thePeerPortSpeaksTls13OrTls12WithAeadSuitesOnly() throws Exception {
    Path certs = TestCerts.cluster(dir.resolve("tls"), 1);
    Path ca = certs.resolve("ca.crt");
    try (TestCluster cluster = new TestCluster(dir.resolve("data"), 1, certs, false)) {
      cluster.start(1);
      HostAndPort peer = cluster.config(1).peerAddress();
      HttpClientOptions node = PeerCalls.tls(ca, certs.resolve("node1.crt"), certs.resolve("node1.key"));
      assertEquals("TLSv1.3", negotiated(cluster, peer, node));
      HttpClientOptions tls12 = new HttpClientOptions(node).setEnabledSecureTransportProtocols(Set.of("TLSv1.2"))
          .addEnabledCipherSuite("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
      assertEquals("TLSv1.2", negotiated(cluster, peer, tls12));
      HttpClientOptions cbc = new HttpClientOptions(node).setEnabledSecureTransportProtocols(Set.of("TLSv1.2"))
          .addEnabledCipherSuite("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
      assertNull(negotiated(cluster, peer, cbc), "a CBC suite is refused");
      // OpenSSL on the client too: the JDK's client refuses TLS 1.1 itself, before the server could.
      HttpClientOptions tls11 = new HttpClientOptions(node).setEnabledSecureTransportProtocols(Set.of("TLSv1.1"))
          .setSslEngineOptions(new OpenSSLEngineOptions());
      assertNull(negotiated(cluster, peer, tls11), "TLS 1.1 is refused");
    }
  }

  /** The TLS version a client with {@code options} negotiates with the peer port, or null when it cannot connect. */
  private static String negotiated(TestCluster cluster, HostAndPort peer, HttpClientOptions options) {
    HttpClient http = cluster.vertx.createHttpClient(options);
    try {
      return http.request(HttpMethod.POST, peer.port(), peer.host(), "/")
          .compose(request -> request.send().map(response -> request.connection().sslSession().getProtocol()))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return null;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      http.close();
    }
  }
}
