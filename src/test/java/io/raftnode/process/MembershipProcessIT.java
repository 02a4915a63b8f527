package io.raftnode.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Membership changes on real node.jar processes with mTLS between them, under a steady stream of writes: grow
 * 3 -> 5 from nodes started with {@code "members": {}}; kill two of the original three and keep writing (3 of 5);
 * bring them back; shrink to 3 voters without the current leader (it steps down, a new leader serves); replace a
 * founder whose data dir was wiped (restarted as it is, it refuses to start). At the end every acknowledged write
 * is on every member. Runs in the integration-test phase, after package.
 */
class MembershipProcessIT {
  private static final long WAIT_MS = 90_000;

  private NodeProcesses nodes;
  private ProcessClient admin;
  private final Set<Integer> members = new java.util.concurrent.ConcurrentSkipListSet<>(List.of(1, 2, 3));

  @Test
  void growKillShrinkWithoutTheLeaderAndReplaceAWipedNodeLosingNoAcknowledgedWrite() throws Exception {
    Path jar = Path.of("target", "node.jar");
    assertTrue(Files.isRegularFile(jar), "target/node.jar is missing: run mvn verify (or mvn package) first");
    Path base = Files.createDirectories(Path.of("target", "membership-process")).resolve("run-" + System.currentTimeMillis());
    Path tls = base.resolve("tls");
    Process certs = new ProcessBuilder("bash", "scripts/gen-certs.sh", "--dir", tls.toString(), "6")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertEquals(0, certs.waitFor(), "scripts/gen-certs.sh failed");
    Vertx vertx = Vertx.vertx();
    Writer writer = null;
    try (NodeProcesses cluster = new NodeProcesses(jar, base, 3, 3, tls, 100, 500, 1000)) {
      nodes = cluster;
      admin = new ProcessClient(vertx, 10_000);
      for (int id = 1; id <= 3; id++) cluster.start(id);
      awaitLeader();
      writer = new Writer(new ProcessClient(vertx, 3000));
      writer.start();

      for (int id : List.of(4, 5)) {
        cluster.start(id);
        awaitCondition("node " + id + " answers Status", () -> admin.status(cluster.clientPort(id)) != null);
        change(() -> admin.addLearner(anyPort(), id, cluster.peerPort(id), cluster.clientPort(id)));
        members.add(id);
      }
      change(() -> admin.changeVoters(anyPort(), List.of(1, 2, 3, 4, 5)));
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L), leaderStatus().getVotersList());

      cluster.kill9(1);
      cluster.kill9(2);
      writer.awaitMore(20);
      cluster.start(1);
      cluster.start(2);
      writer.awaitMore(20);

      int leader = awaitLeader();
      List<Integer> voters = new ArrayList<>(members);
      voters.remove(Integer.valueOf(leader));
      voters = voters.subList(0, 3);
      List<Integer> newVoters = List.copyOf(voters);
      change(() -> admin.changeVoters(anyPort(), newVoters));
      int next = awaitLeader();
      assertTrue(newVoters.contains(next), "the new leader " + next + " is one of " + newVoters);
      assertEquals(newVoters.stream().map(Integer::longValue).toList(), leaderStatus().getVotersList());
      writer.awaitMore(20);

      int lost = newVoters.stream().filter(id -> id <= 3 && id != next).findFirst().orElseThrow();
      cluster.kill9(lost);
      cluster.wipe(lost);
      cluster.start(lost);
      assertEquals(1, cluster.awaitExit(lost, 60), "a wiped founder refuses to start");
      assertTrue(Files.readString(cluster.nodeDir(lost).resolve("node.log")).contains("refuses to start"));
      change(() -> admin.removeMember(anyPortExcept(lost), lost));
      members.remove(lost);
      cluster.start(6);
      awaitCondition("node 6 answers Status", () -> admin.status(cluster.clientPort(6)) != null);
      change(() -> admin.addLearner(anyPort(), 6, cluster.peerPort(6), cluster.clientPort(6)));
      members.add(6);
      List<Integer> replaced = new ArrayList<>(newVoters);
      replaced.set(replaced.indexOf(lost), 6);
      change(() -> admin.changeVoters(anyPort(), replaced));
      writer.awaitMore(20);

      writer.stop();
      awaitConverged();
      checkEveryAcknowledgedWriteEverywhere(writer.acknowledged);
    } catch (Throwable e) {
      if (nodes != null) for (int id = 1; id <= 6; id++) System.err.println("node " + id + " log tail:\n" + nodes.logTail(id, 20));
      throw e;
    } finally {
      if (writer != null) writer.stop();
      if (admin != null) admin.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  interface Change {
    Object run() throws Exception;
  }

  /** Runs a membership change, again while it is refused for a reason that passes (no leader, catching up). */
  private void change(Change change) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    boolean outcomeWasUnknown = false;
    while (true) {
      try {
        change.run();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof RemoteCallException r)) throw e;
        String message = String.valueOf(r.statusMessage());
        System.err.println("membership change: " + r.status() + ": " + message);
        // After an outcome-unknown answer the retry finds the change made (a learner added) or still under way.
        if (outcomeWasUnknown && r.status() == GrpcStatus.FAILED_PRECONDITION && message.contains("is already a")) return;
        outcomeWasUnknown |= r.status() == GrpcStatus.UNKNOWN || r.status() == GrpcStatus.DEADLINE_EXCEEDED;
        boolean passing = r.status() == GrpcStatus.UNAVAILABLE || outcomeWasUnknown && r.status() != GrpcStatus.INVALID_ARGUMENT
            || r.status() == GrpcStatus.FAILED_PRECONDITION && (message.contains("caught up") || message.contains("in progress"));
        if (!passing || System.nanoTime() > deadline) throw e;
        TimeUnit.MILLISECONDS.sleep(300);
      }
    }
  }

  private int anyPort() {
    return anyPortExcept(0);
  }

  private int anyPortExcept(int except) {
    for (int id : members) {
      if (id != except && nodes.isRunning(id) && admin.status(nodes.clientPort(id)) != null) return nodes.clientPort(id);
    }
    throw new AssertionError("no member answers");
  }

  private StatusResponse leaderStatus() throws InterruptedException {
    return admin.status(nodes.clientPort(awaitLeader()));
  }

  private int awaitLeader() throws InterruptedException {
    int[] leader = {0};
    awaitCondition("a leader among " + members, () -> {
      for (int id : members) {
        if (!nodes.isRunning(id)) continue;
        StatusResponse s = admin.status(nodes.clientPort(id));
        if (s != null && s.getRole().equals("leader")) {
          leader[0] = id;
          return true;
        }
      }
      return false;
    });
    return leader[0];
  }

  private void awaitConverged() throws InterruptedException {
    awaitCondition("every member applied the leader's commit index", () -> {
      try {
        long commit = leaderStatus().getCommitIndex();
        for (int id : members) {
          StatusResponse s = admin.status(nodes.clientPort(id));
          if (s == null || s.getAppliedIndex() < commit) return false;
        }
        return true;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
  }

  private void checkEveryAcknowledgedWriteEverywhere(Map<String, String> acknowledged) throws Exception {
    assertTrue(acknowledged.size() > 80, "writes were acknowledged throughout: " + acknowledged.size());
    for (int id : members) {
      for (Map.Entry<String, String> write : acknowledged.entrySet()) {
        GetResponse got = admin.get(nodes.clientPort(id), write.getKey(), Consistency.STALE);
        assertTrue(got.getFound(), "node " + id + " lacks acknowledged key " + write.getKey());
        assertEquals(write.getValue(), ProcessClient.text(got.getValue()), "node " + id + ", key " + write.getKey());
      }
    }
  }

  private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Writes unique keys, one at a time, to the members in turn; remembers those acknowledged. */
  private final class Writer {
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final ProcessClient client;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this::loop, "membership-writer");

    Writer(ProcessClient client) {
      this.client = client;
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(30_000);
      client.close();
    }

    /** Waits until {@code count} more writes were acknowledged: the cluster serves writes now. */
    void awaitMore(int count) throws InterruptedException {
      int target = acknowledged.size() + count;
      awaitCondition(count + " more acknowledged writes", () -> acknowledged.size() >= target);
    }

    private void loop() {
      int n = 0;
      while (running.get()) {
        List<Integer> targets = new ArrayList<>(members);
        int id = targets.get(n % targets.size());
        String key = "m" + n;
        try {
          if (nodes.isRunning(id)) {
            client.put(nodes.clientPort(id), key, "v" + n);
            acknowledged.put(key, "v" + n);
          }
        } catch (Exception e) {
          // Not acknowledged: no claim is made about it (it may or may not have applied).
        }
        n++;
      }
    }
  }
}
