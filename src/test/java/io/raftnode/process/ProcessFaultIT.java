package io.raftnode.process;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.StatusResponse;
import io.raftnode.sim.History;
import io.raftnode.sim.LinearizabilityChecker;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real 3-node cluster of node.jar processes under a client workload, while the test kills the leader with
 * kill -9, freezes a follower with SIGSTOP / SIGCONT and kills and restarts nodes. Afterwards every acknowledged
 * write must be on every node (STALE reads once the applied indexes agree) and the whole history must be
 * linearizable. Runs in the integration-test phase (failsafe), after the package phase has built target/node.jar.
 *
 * <p>{@code -Dprocess.rounds=N} sets the number of fault rounds (default 2, about 40 s), {@code -Dprocess.seed=S} the
 * seed of the workload and victim choices; scripts/process-faults.sh runs a longer form. After a failure the nodes'
 * configs, data and logs stay in target/process-faults/run-SEED. Leader churn on a loaded machine is expected and tolerated: nothing here asserts on timing,
 * only on outcomes, with generous bounds for the cluster to recover.
 */
class ProcessFaultIT {
  private static final long RECOVERY_MS = 90_000;

  private NodeProcesses cluster;
  private ProcessClient admin;
  private boolean passed;

  @Test
  void acknowledgedWritesSurviveKillsPausesAndRestartsAndTheHistoryIsLinearizable() throws Exception {
    int rounds = Integer.getInteger("process.rounds", 2);
    long seed = Long.getLong("process.seed", System.currentTimeMillis());
    Path jar = Path.of("target", "node.jar");
    assertTrue(Files.isRegularFile(jar), "target/node.jar is missing: run mvn verify (or mvn package) first");
    Path base = Files.createDirectories(Path.of("target", "process-faults")).resolve("run-" + seed);
    long started = System.nanoTime();
    Random random = new Random(seed);
    History history = new History();
    Vertx vertx = Vertx.vertx();
    log("seed " + seed + ", " + rounds + " rounds, nodes in " + base.toAbsolutePath());
    try (NodeProcesses nodes = new NodeProcesses(jar, base, 3, 100, 500, 1000)) {
      cluster = nodes;
      admin = new ProcessClient(vertx, 2000);
      for (int id = 1; id <= 3; id++) nodes.start(id);
      log("leader " + awaitLeader());

      Workload workload = new Workload(vertx, nodes, history, 4, seed);
      workload.start();
      for (int round = 1; round <= rounds; round++) faultRound(round, random);
      TimeUnit.SECONDS.sleep(2);
      workload.stop();
      log("workload: " + workload.ok.get() + " operations acknowledged, " + workload.failed.get() + " failed");

      awaitConverged();
      checkAcknowledgedWritesEverywhere(workload.acknowledged());
      checkSharedKeysAgree(history);
      LinearizabilityChecker.Result verdict = checkWithDeepStack(history);
      log("history: " + history.size() + " operations, " + history.count(false) + " of unknown outcome: " + verdict.explanation());
      if (!verdict.linearizable()) fail("history not linearizable (seed " + seed + "): " + verdict.explanation());
      assertTrue(workload.acknowledged().size() > 0, "no write was acknowledged at all");
      log(String.format("passed in %.1f s", (System.nanoTime() - started) / 1e9));
      passed = true;
    } catch (Throwable e) {
      if (cluster != null) for (int id = 1; id <= 3; id++) log("node " + id + " log tail:\n" + cluster.logTail(id, 30));
      throw e;
    } finally {
      if (admin != null) admin.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    // Kept after a failure for inspection; a passing run's data and logs are of no further use.
    if (passed) deleteRecursively(base);
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** kill -9 the leader and restart it; freeze a follower and resume it; kill -9 and restart a random node. */
  private void faultRound(int round, Random random) throws Exception {
    int leader = awaitLeader();
    log("round " + round + ": kill -9 leader " + leader);
    cluster.kill9(leader);
    TimeUnit.SECONDS.sleep(3);
    cluster.start(leader);
    log("round " + round + ": restarted node " + leader);
    TimeUnit.SECONDS.sleep(3);

    leader = awaitLeader();
    int follower = leader % 3 + 1;
    log("round " + round + ": SIGSTOP follower " + follower);
    cluster.pause(follower);
    TimeUnit.SECONDS.sleep(3);
    cluster.resume(follower);
    log("round " + round + ": SIGCONT follower " + follower);
    TimeUnit.SECONDS.sleep(2);

    int victim = 1 + random.nextInt(3);
    log("round " + round + ": kill -9 node " + victim);
    cluster.kill9(victim);
    TimeUnit.SECONDS.sleep(1);
    cluster.start(victim);
    log("round " + round + ": restarted node " + victim);
    TimeUnit.SECONDS.sleep(3);
  }

  /** Waits for a node that reports itself leader; returns its id. Tolerates any amount of churn within the bound. */
  private int awaitLeader() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_MS);
    while (System.nanoTime() < deadline) {
      int leader = 0;
      long term = -1;
      for (int id = 1; id <= 3; id++) {
        StatusResponse s = cluster.isRunning(id) && !cluster.isStopped(id) ? admin.status(cluster.clientPort(id)) : null;
        if (s != null && s.getRole().equals("leader") && s.getTerm() > term) {
          leader = id;
          term = s.getTerm();
        }
      }
      if (leader != 0) return leader;
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("no leader within " + RECOVERY_MS + " ms");
  }

  /** Waits until all three nodes have applied the same, complete log (the same status twice in a row). */
  private void awaitConverged() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_MS);
    String previous = null;
    String now = "no answer";
    while (System.nanoTime() < deadline) {
      now = convergedState();
      if (now != null && now.equals(previous)) {
        log("converged: " + now);
        return;
      }
      previous = now;
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new AssertionError("the nodes did not converge within " + RECOVERY_MS + " ms");
  }

  /** "leader L applied A" when every node answers with that leader and applied index = last log index; else null. */
  private String convergedState() {
    long leader = -1;
    long applied = -1;
    for (int id = 1; id <= 3; id++) {
      StatusResponse s = admin.status(cluster.clientPort(id));
      if (s == null || s.getLeaderId() == 0) return null;
      if (s.getAppliedIndex() != s.getLastLogIndex() || s.getCommitIndex() != s.getLastLogIndex()) return null;
      if (leader == -1) {
        leader = s.getLeaderId();
        applied = s.getAppliedIndex();
      } else if (leader != s.getLeaderId() || applied != s.getAppliedIndex()) {
        return null;
      }
    }
    return "leader " + leader + " applied " + applied;
  }

  private void checkAcknowledgedWritesEverywhere(List<Workload.Acknowledged> writes) throws Exception {
    List<String> missing = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      for (Workload.Acknowledged w : writes) {
        GetResponse r = admin.get(cluster.clientPort(id), w.key(), Consistency.STALE);
        if (!r.getFound() || !ProcessClient.text(r.getValue()).equals(w.value())) {
          missing.add("node " + id + " lacks acknowledged " + w.key() + "=" + w.value());
        }
      }
    }
    // And once more through the log: a LINEARIZABLE read via the leader sees every acknowledged write.
    int leader = awaitLeader();
    for (Workload.Acknowledged w : writes) {
      GetResponse r = admin.get(cluster.clientPort(leader), w.key(), Consistency.LINEARIZABLE);
      if (!r.getFound() || !ProcessClient.text(r.getValue()).equals(w.value())) {
        missing.add("a LINEARIZABLE read lacks acknowledged " + w.key() + "=" + w.value());
      }
    }
    log(writes.size() + " acknowledged single writes checked on 3 nodes (STALE) and through the log (LINEARIZABLE), "
        + missing.size() + " missing");
    if (!missing.isEmpty()) fail(missing.size() + " acknowledged writes missing, first: " + missing.subList(0, Math.min(20, missing.size())));
  }

  /**
   * Every node's state answers the shared keys the same way; a final LINEARIZABLE read of each joins the history,
   * so the end state is checked against everything acknowledged before it.
   */
  private void checkSharedKeysAgree(History history) throws Exception {
    int leader = awaitLeader();
    for (String key : Workload.SHARED_KEYS) {
      String first = null;
      for (int id = 1; id <= 3; id++) {
        GetResponse r = admin.get(cluster.clientPort(id), key, Consistency.STALE);
        String v = r.getFound() ? ProcessClient.text(r.getValue()) : "(absent)";
        if (first == null) first = v;
        else if (!first.equals(v)) fail("nodes disagree on " + key + ": " + first + " vs " + v + " on node " + id);
      }
      History.Op op = history.get(0, key);
      GetResponse r = admin.get(cluster.clientPort(leader), key, Consistency.LINEARIZABLE);
      history.ok(op, r.getFound(), r.getFound() ? ProcessClient.text(r.getValue()) : null);
    }
  }

  private static void log(String line) {
    System.out.println("[process-faults] " + line);
  }

  /**
   * The checker's search recurses once per operation on a key, and a real cluster's history can hold thousands
   * of writes to one key: run it on a thread with a stack deep enough for them.
   */
  private static LinearizabilityChecker.Result checkWithDeepStack(History history) throws InterruptedException {
    LinearizabilityChecker.Result[] verdict = new LinearizabilityChecker.Result[1];
    Throwable[] failure = new Throwable[1];
    Thread checker = new Thread(null, () -> {
      try {
        verdict[0] = new LinearizabilityChecker().check(history.ops());
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "linearizability-check", 1L << 30);
    checker.start();
    checker.join();
    if (failure[0] != null) throw new AssertionError("the linearizability check failed to run", failure[0]);
    return verdict[0];
  }
}
