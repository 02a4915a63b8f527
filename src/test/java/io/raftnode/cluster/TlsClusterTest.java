package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.HostAndPort;
import io.raftnode.RaftNodeVerticle;
import io.raftnode.internal.cli.Main;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three nodes in one JVM with mTLS between them (certificates from scripts/gen-certs.sh), and TLS on the client port. */
@Timeout(120)
class TlsClusterTest {

  @TempDir
  Path dir;

  @Test
  void anMtlsClusterElectsALeaderReplicatesAWriteAndLogsItsEngine() throws Exception {
    Path certs = TestCerts.cluster(dir.resolve("tls"), 3);
    Logger logger = Logger.getLogger(RaftNodeVerticle.class.getName());
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        lines.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(capture);
    try (TestCluster cluster = new TestCluster(dir.resolve("data"), 3, certs, false)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader == 1 ? 2 : 1;
      long revision = await(cluster.client(follower).put("over-tls", "yes")).getRevision();
      TestCluster.awaitCondition("every node to apply the write", () -> {
        for (long id : cluster.ids()) {
          StatusResponse status = cluster.client(id).status();
          if (status == null || status.getAppliedIndex() < revision) return false;
        }
        return true;
      });
      for (long id : cluster.ids()) {
        GetResponse read = await(cluster.client(id).get("over-tls", Consistency.STALE));
        assertEquals("yes", read.getValue().toStringUtf8(), "node " + id);
      }
    } finally {
      logger.removeHandler(capture);
    }
    assertEquals(3, lines.stream().filter(l -> l.contains("TLS engine: OpenSSL (BoringSSL); peer port mTLS")).count(),
        "each node logs its engine: " + lines);
  }

  @Test
  void aClientPortWithTlsServesClientsWithACertificateAndFollowersForwardOverTls() throws Exception {
    Path certs = TestCerts.cluster(dir.resolve("tls"), 3);
    try (TestCluster cluster = new TestCluster(dir.resolve("data"), 3, certs, true)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader == 1 ? 2 : 1;
      assertTrue(await(cluster.client(follower).put("k", "v")).getRevision() > 0, "a follower forwards over TLS");
      assertEquals("v", await(cluster.client(leader).get("k", Consistency.LINEARIZABLE)).getValue().toStringUtf8());

      HostAndPort address = cluster.config(leader).clientAddress();
      HttpClientOptions plaintext = new HttpClientOptions().setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
          .setHttp2ClearTextUpgrade(false);
      HttpClientOptions noCertificate = new HttpClientOptions(plaintext).setSsl(true).setUseAlpn(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(certs.resolve("ca.crt").toString()));
      for (HttpClientOptions options : List.of(plaintext, noCertificate)) {
        try (KvTestClient refused = new KvTestClient(cluster.vertx, address, options)) {
          assertThrows(AssertionError.class, () -> await(refused.put("k", "other")));
        }
      }
      assertEquals("v", await(cluster.client(leader).get("k", Consistency.LINEARIZABLE)).getValue().toStringUtf8());

      String server = cluster.config(follower).clientAddress().toString();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = Main.run(List.of("kv", "get", "k", "--server", server, "--tls", "--ca", certs.resolve("ca.crt").toString(),
              "--cert", certs.resolve("client.crt").toString(), "--key", certs.resolve("client.key").toString()),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
      assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("get: found value=v"), out.toString(StandardCharsets.UTF_8));
    }
  }
}
