package io.raftnode.cluster;

import static io.raftnode.cluster.ClientClusterTest.address;
import static io.raftnode.cluster.ClientClusterTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.client.RaftKvClient;
import io.raftnode.client.RaftKvException;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.StatusResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers on one {@link RaftKvClient} keep writing while the test stops the leader again and again. Each write sets
 * a key of its own that must be absent (a compare-and-swap): applied twice, the second copy would fail against the
 * value the first wrote. The client resends a write whose outcome a stop left unknown with its request id, so every
 * write it acknowledged succeeded once and is there, at the revision it was acknowledged with, and a write it reported
 * as certainly not applied is not there.
 */
@Timeout(180)
class ClientAcrossLeaderStopsTest {
  private static final int WRITERS = 16;
  private static final int ROUNDS = 3;

  @TempDir
  Path dataDirs;

  private volatile boolean writing = true;
  private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
  private final List<String> notApplied = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger unknown = new AtomicInteger();
  private final List<String> twice = java.util.Collections.synchronizedList(new ArrayList<>());

  @Test
  void noAcknowledgedWriteIsLostAndNoneAppliesTwice() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      cluster.awaitLeader();
      try (RaftKvClient client = RaftKvClient.builder()
          .addresses(address(cluster, 1), address(cluster, 2), address(cluster, 3)).build()) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          CompletableFuture<Void> finished = new CompletableFuture<>();
          done.add(finished);
          write(client, w, 0, finished);
        }
        for (int round = 1; round <= ROUNDS; round++) {
          int before = acknowledged.size();
          TestCluster.awaitCondition("writes acknowledged before stopping the leader", () -> acknowledged.size() >= before + 200);
          long leader = cluster.awaitLeader();
          cluster.stop(leader);
          cluster.awaitLeader();
          cluster.start(leader);
        }
        int before = acknowledged.size();
        TestCluster.awaitCondition("writes acknowledged after the last stop", () -> acknowledged.size() >= before + 200);
        writing = false;
        for (CompletableFuture<Void> finished : done) TestCluster.await(io.vertx.core.Future.fromCompletionStage(finished));
      }
      awaitAllApplied(cluster);
      System.out.println("client writes: " + acknowledged.size() + " acknowledged, " + notApplied.size()
          + " failed not applied, " + unknown.get() + " failed of unknown outcome");
      assertEquals(List.of(), twice, "swaps of absent keys that failed: applied twice");
      long node = cluster.awaitLeader();
      for (Map.Entry<String, Long> write : acknowledged.entrySet()) {
        GetResponse read = TestCluster.await(cluster.client(node).get(write.getKey(), Consistency.STALE));
        assertTrue(read.getFound(), "acknowledged write " + write.getKey() + " lost");
        assertEquals(write.getKey(), read.getValue().toStringUtf8());
        assertEquals((long) write.getValue(), read.getRevision(), write.getKey() + " applied once, at the acknowledged revision");
      }
      for (String key : notApplied) {
        assertTrue(!TestCluster.await(cluster.client(node).get(key, Consistency.STALE)).getFound(),
            key + " was reported not applied, yet applied");
      }
    }
  }

  /** One writer: its writes one after another, each to a key of its own whose value is the key. */
  private void write(RaftKvClient client, int writer, int n, CompletableFuture<Void> finished) {
    if (!writing) {
      finished.complete(null);
      return;
    }
    String key = "w" + writer + "-" + n;
    client.compareAndSwap(utf8(key), null, utf8(key)).whenComplete((ok, err) -> {
      if (err == null) {
        if (!ok.succeeded()) twice.add(key + " (current value " + new String(ok.currentValue()) + ")");
        acknowledged.put(key, ok.revision());
      } else if (err.getCause() instanceof RaftKvException e && !e.mayHaveApplied()) {
        notApplied.add(key);
      } else {
        unknown.incrementAndGet();
      }
      write(client, writer, n + 1, finished);
    });
  }

  private static void awaitAllApplied(TestCluster cluster) {
    TestCluster.awaitCondition("every node has applied the whole log", () -> {
      long last = -1;
      for (long id : cluster.ids()) {
        StatusResponse s = cluster.client(id).status();
        if (s == null || s.getAppliedIndex() != s.getLastLogIndex() || s.getCommitIndex() != s.getLastLogIndex()) return false;
        if (last >= 0 && last != s.getLastLogIndex()) return false;
        last = s.getLastLogIndex();
      }
      return true;
    });
  }
}
