package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static io.raftnode.cluster.TestCluster.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.NodeConfig;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How founding members with empty data dirs start (README, "Starting a cluster"): together they form the cluster,
 * a founder started late within the grace period still joins, and a founder whose disk was wiped refuses to
 * rejoin a cluster that exists, which goes on unaffected.
 */
@Timeout(120)
class FounderStartTest {

  @TempDir
  Path dataDirs;

  @Test
  void threeFoundersStartedTogetherFormOneCluster() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      assertEquals(List.of(1L, 2L, 3L), status(cluster, leader).getVotersList());
      await(cluster.client(leader).put("k", "v"));
      long committed = status(cluster, leader).getCommitIndex();
      for (long id : cluster.ids()) awaitApplied(cluster, id, committed);
    }
  }

  @Test
  void aFounderStartedAfterTheOthersBootstrappedJoinsWithinTheGracePeriod() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3); Bootstraps bootstraps = Bootstraps.capture()) {
      // Far longer than the test may wait: the first two can only start once founder 3 has been heard.
      for (long id : cluster.ids()) cluster.reconfigure(id, c -> c.withMembership(new NodeConfig.Membership(1000, 600_000)));
      Future<String> one = cluster.startLater(1);
      Future<String> two = cluster.startLater(2);
      awaitCondition("founders 1 and 2 bootstrap", () -> bootstraps.count() == 2);
      assertFalse(one.isComplete() || two.isComplete(), "a founder that bootstrapped holds its start for founder 3");
      await(cluster.startLater(3));
      await(Future.all(one, two));
      long leader = cluster.awaitLeader();
      assertEquals(List.of(1L, 2L, 3L), status(cluster, leader).getVotersList());
      await(cluster.client(leader).put("late", "joined"));
      long committed = status(cluster, leader).getCommitIndex();
      for (long id : cluster.ids()) awaitApplied(cluster, id, committed);
      assertEquals(3, bootstraps.count(), "every founder wrote the bootstrap entry, none refused");
    }
  }

  @Test
  void foundersMissingOneFormAfterTheGracePeriodAndItThenRefusesToBootstrap() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      for (long id : cluster.ids()) cluster.reconfigure(id, c -> c.withMembership(new NodeConfig.Membership(1000, 300)));
      await(Future.all(cluster.startLater(1), cluster.startLater(2)));
      long leader = cluster.awaitLeader();
      await(cluster.client(leader).put("k", "v"));
      String refusal = startFailure(cluster, 3);
      assertTrue(refusal.contains("refuses to start") && refusal.contains("scripts/cluster.sh replace 3"), refusal);
    }
  }

  @Test
  void aWipedFounderRestartedIntoARunningClusterRefusesToStartAndTheClusterIsUnaffected() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      for (int i = 0; i < 10; i++) await(cluster.client(leader).put("k" + i, "v" + i));
      long wiped = leader % 3 + 1;
      cluster.stop(wiped);
      cluster.wipe(wiped);
      StatusResponse before = status(cluster, leader);

      String refusal = startFailure(cluster, wiped);
      assertTrue(refusal.contains("node " + wiped + " refuses to start"), refusal);
      assertTrue(refusal.contains("remove id " + wiped), refusal);
      assertTrue(refusal.contains("\"members\": {}"), refusal);
      assertTrue(refusal.contains("scripts/cluster.sh replace " + wiped), refusal);
      assertFalse(cluster.isRunning(wiped));

      StatusResponse after = status(cluster, leader);
      assertEquals("leader", after.getRole());
      assertEquals(before.getTerm(), after.getTerm(), "the refused node disturbed no election");
      assertEquals(before.getVotersList(), after.getVotersList());
      await(cluster.client(leader).put("after", "refusal"));
      long committed = status(cluster, leader).getCommitIndex();
      for (long id : cluster.running()) awaitApplied(cluster, id, committed);
      assertEquals("v9", await(cluster.client(leader).get("k9", Consistency.LINEARIZABLE)).getValue().toStringUtf8());
    }
  }

  private static String startFailure(TestCluster cluster, long id) throws Exception {
    try {
      cluster.deploy(id).toCompletionStage().toCompletableFuture().get(TestCluster.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return e.getCause().getMessage();
    }
    throw new AssertionError("node " + id + " started");
  }

  private static StatusResponse status(TestCluster cluster, long id) {
    StatusResponse s = cluster.client(id).status();
    if (s == null) throw new AssertionError("node " + id + " does not answer Status");
    return s;
  }

  private static void awaitApplied(TestCluster cluster, long id, long index) {
    awaitCondition("node " + id + " applies index " + index, () -> {
      StatusResponse s = cluster.client(id).status();
      return s != null && s.getAppliedIndex() >= index;
    });
  }

  /** Counts the nodes that wrote the bootstrap entry, from the node's INFO log line. */
  private static final class Bootstraps extends Handler implements AutoCloseable {
    private static final Logger STARTUP = Logger.getLogger("io.raftnode.internal.node.NodeStartup");
    private final AtomicInteger count = new AtomicInteger();

    static Bootstraps capture() {
      Bootstraps b = new Bootstraps();
      STARTUP.addHandler(b);
      return b;
    }

    int count() {
      return count.get();
    }

    @Override
    public void publish(LogRecord record) {
      if (String.valueOf(record.getMessage()).contains("bootstrapped the cluster")) count.incrementAndGet();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      STARTUP.removeHandler(this);
    }
  }
}
