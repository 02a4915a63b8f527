package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.client.ClientTls;
import io.raftnode.client.ClientTransport;
import io.raftnode.client.GetResult;
import io.raftnode.client.RaftKvClient;
import io.raftnode.client.RaftKvException;
import io.raftnode.client.ReadConsistency;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link RaftKvClient} against in-JVM 3-node clusters: finding the leader, deadlines, TLS, the unary transport, errors. */
@Timeout(120)
class ClientClusterTest {
  @TempDir
  Path dir;

  @Test
  void findsTheLeaderFromAFollowersAddressAndWritesAndReadsThere() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      try (RaftKvClient client = RaftKvClient.builder().addresses(address(cluster, follower)).build()) {
        TestCluster.awaitCondition("the client's target is the leader",
            () -> client.currentNode().equals(address(cluster, leader)));
        long revision = join(client.put(utf8("k"), utf8("v"))).revision();
        GetResult read = join(client.get(utf8("k")));
        assertTrue(read.found());
        assertEquals("v", read.valueUtf8());
        assertEquals(revision, read.revision());
        assertEquals(revision, join(client.get(utf8("k"), ReadConsistency.LEASE)).revision());
        assertTrue(join(client.compareAndSwap(utf8("k"), utf8("v"), utf8("w"))).succeeded());
        var failedSwap = join(client.compareAndSwap(utf8("k"), null, utf8("x")));
        assertFalse(failedSwap.succeeded());
        assertEquals("w", new String(failedSwap.currentValue(), StandardCharsets.UTF_8));
        var deleted = join(client.delete(utf8("k")));
        assertTrue(deleted.deleted());
        assertFalse(join(client.get(utf8("k"))).found());
      }
    }
  }

  @Test
  void toldNotToFollowTheLeaderItKeepsCallingTheFollowerWhichForwards() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      try (RaftKvClient client = RaftKvClient.builder().addresses(address(cluster, follower)).followLeader(false)
          .build()) {
        long revision = 0;
        // Sequential writes: each a round trip, long enough for a client that asks who leads to have moved.
        for (int i = 0; i < 30; i++) revision = join(client.put(utf8("k"), utf8("v" + i))).revision();
        assertEquals(address(cluster, follower), client.currentNode(), "the client stayed on the follower");
        GetResult read = join(client.get(utf8("k")));
        assertEquals("v29", read.valueUtf8());
        assertEquals(revision, read.revision());
      }
    }
  }

  @Test
  void aRefusedRequestFailsAtOnceWithItsStatusAndNothingApplied() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3)) {
      cluster.startAll();
      cluster.awaitLeader();
      try (RaftKvClient client = RaftKvClient.builder().addresses(address(cluster, 1)).build()) {
        RaftKvException error = failure(client.put(new byte[0], utf8("v")));
        assertEquals("INVALID_ARGUMENT", error.status(), error.getMessage());
        assertEquals(3, error.code());
        assertFalse(error.mayHaveApplied());
        assertEquals(1, error.attempts(), "a refused request is not sent again");
      }
    }
  }

  @Test
  void aWriteWithNoQuorumEndsAtItsDeadlineOverSessionsAndUnary() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      for (long id : cluster.ids()) {
        if (id != follower) cluster.stop(id);
      }
      for (ClientTransport transport : ClientTransport.values()) {
        try (RaftKvClient client = RaftKvClient.builder().addresses(address(cluster, follower)).transport(transport)
            .timeout(Duration.ofMillis(400)).build()) {
          long started = System.nanoTime();
          RaftKvException error = failure(client.put(utf8("k"), utf8("v")));
          long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
          assertTrue(error.status().equals("DEADLINE_EXCEEDED") || error.status().equals("UNAVAILABLE"),
              transport + ": " + error.getMessage());
          // A bound on behaviour, not a performance figure: well below the 3 s a node waits for a leader by itself.
          assertTrue(tookMs < 2_500, transport + ": the call ended after " + tookMs + " ms");
          // The deadline given with the call wins over the client's.
          RaftKvException longer = failure(client.put(utf8("k"), utf8("v"), Duration.ofMillis(100)));
          assertTrue(longer.status().equals("DEADLINE_EXCEEDED") || longer.status().equals("UNAVAILABLE"), longer.getMessage());
        }
      }
    }
  }

  @Test
  void overTlsWithAClientCertificate() throws Exception {
    Path certs = TestCerts.cluster(dir.resolve("tls"), 3);
    try (TestCluster cluster = new TestCluster(dir.resolve("data"), 3, certs, true)) {
      cluster.startAll();
      cluster.awaitLeader();
      ClientTls tls = ClientTls.trusting(certs.resolve("ca.crt"))
          .withClientCertificate(certs.resolve("client.crt"), certs.resolve("client.key"));
      for (ClientTransport transport : ClientTransport.values()) {
        try (RaftKvClient client = RaftKvClient.builder().addresses(address(cluster, 1), address(cluster, 2))
            .tls(tls).transport(transport).build()) {
          long revision = join(client.put(utf8("tls-" + transport), utf8("v"))).revision();
          assertEquals(revision, join(client.get(utf8("tls-" + transport))).revision());
        }
      }
      // Without a client certificate the node refuses the connection: nothing was sent, so nothing applied.
      try (RaftKvClient client = RaftKvClient.builder().addresses(address(cluster, 1))
          .tls(ClientTls.trusting(certs.resolve("ca.crt"))).timeout(Duration.ofMillis(1_500)).build()) {
        RaftKvException error = failure(client.put(utf8("no-cert"), utf8("v")));
        assertFalse(error.mayHaveApplied(), error.getMessage());
      }
    }
  }

  @Test
  void theUnaryTransportServesEveryCall() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      try (RaftKvClient client = RaftKvClient.builder().addresses(address(cluster, leader % 3 + 1))
          .transport(ClientTransport.UNARY).build()) {
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (int i = 0; i < 50; i++) writes.add(client.put(utf8("u" + i), utf8("v" + i)));
        for (CompletableFuture<?> w : writes) join(w);
        for (int i = 0; i < 50; i++) assertEquals("v" + i, join(client.get(utf8("u" + i))).valueUtf8());
      }
    }
  }

  static String address(TestCluster cluster, long id) {
    return cluster.config(id).clientAddress().toString();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static <T> T join(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  static RaftKvException failure(CompletableFuture<?> call) {
    CompletionException e = assertThrows(CompletionException.class, () -> call.orTimeout(30, TimeUnit.SECONDS).join());
    if (e.getCause() instanceof RaftKvException error) return error;
    throw new AssertionError("expected a RaftKvException", e.getCause());
  }
}
