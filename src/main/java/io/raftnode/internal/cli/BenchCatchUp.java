package io.raftnode.internal.cli;

import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * How long a new node takes to catch up with a large state: fills a fresh 3-node cluster with {@code keys} distinct
 * keys of {@code valueBytes} each, starts node 4 with {@code "members": {}}, adds it as a learner and waits until
 * its applied index reaches the leader's commit index at the time of the add. The time is split at the moment node
 * 4 holds the leader's snapshot (its snapshot index turns non-zero): before it, the snapshot's transfer and install;
 * after it, the log entries written after that snapshot. Bytes come from node 4's metrics.
 */
final class BenchCatchUp {
  private static final int JOINER = 4;
  private static final long POLL_MS = 50;

  private final Vertx vertx;
  private final GrpcClient grpc;
  private final PrintStream out;

  BenchCatchUp(Vertx vertx, GrpcClient grpc, PrintStream out) {
    this.vertx = vertx;
    this.grpc = grpc;
    this.out = out;
  }

  /** One measurement on a fresh cluster in {@code dir}; returns its summary line. */
  String run(Path jar, Path dir, int portBase, int keys, int valueBytes, int fillConcurrency, List<String> jvm)
      throws Exception {
    try (BenchCluster cluster = new BenchCluster(dir, portBase)) {
      cluster.start(jar, "stream", "", jvm);
      BenchAdmin admin = new BenchAdmin(grpc, cluster);
      int leader = cluster.awaitLeader(grpc, 60_000);
      long fillStart = System.nanoTime();
      fill(admin, leader, keys, valueBytes, fillConcurrency);
      double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
      leader = cluster.awaitLeader(grpc, 60_000);
      StatusResponse before = awaitSettled(admin, leader);
      out.printf(Locale.ROOT, "fill: keys=%d value_bytes=%d state_mib=%.0f seconds=%.1f MiB_per_s=%.1f commit=%d "
              + "leader_snapshot_index=%d%n", keys, valueBytes, keys * (double) valueBytes / (1 << 20), fillSeconds,
          keys * (double) valueBytes / (1 << 20) / fillSeconds, before.getCommitIndex(), before.getSnapshotIndex());

      cluster.startJoiner(JOINER, jar, jvm);
      await("node 4 answers Status", 60_000, () -> admin.status(JOINER) != null);
      long target = admin.status(leader).getCommitIndex();
      long start = System.nanoTime();
      admin.addLearner(leader, JOINER);
      double addMs = (System.nanoTime() - start) / 1e6;
      Phases phases = watch(admin, leader, target, start);
      return report(admin, target, addMs, phases, keys, valueBytes);
    }
  }

  /** When node 4 first held a snapshot and when it had applied the target index, in ns after the add began. */
  private record Phases(long snapshotHeldNanos, long caughtUpNanos, long installedIndex, boolean sawSnapshotState) {}

  private Phases watch(BenchAdmin admin, int leader, long target, long start) throws InterruptedException {
    long snapshotHeld = -1;
    long installedIndex = 0;
    boolean sawSnapshotState = false;
    long deadline = start + TimeUnit.MINUTES.toNanos(15);
    while (System.nanoTime() < deadline) {
      StatusResponse joiner = admin.status(JOINER);
      MemberStatus onLeader = admin.memberOnLeader(leader, JOINER);
      long now = System.nanoTime();
      sawSnapshotState |= onLeader != null && onLeader.getReplication().equals("snapshot");
      if (joiner != null && joiner.getSnapshotIndex() > 0 && snapshotHeld < 0) {
        snapshotHeld = now - start;
        installedIndex = joiner.getSnapshotIndex();
      }
      if (joiner != null && joiner.getAppliedIndex() >= target) {
        return new Phases(snapshotHeld, now - start, installedIndex, sawSnapshotState);
      }
      Thread.sleep(POLL_MS);
    }
    throw new IllegalStateException("node 4 did not catch up within 15 minutes");
  }

  private String report(BenchAdmin admin, long target, double addMs, Phases p, int keys, int valueBytes)
      throws Exception {
    double snapshotBytes = admin.metric(JOINER, "raftnode_snapshot_size_bytes");
    double installs = admin.metric(JOINER, "raftnode_snapshots_installed_total");
    double installSeconds = admin.metric(JOINER, "raftnode_snapshot_install_duration_seconds_sum");
    double logBytes = admin.metric(JOINER, "raftnode_peer_received_bytes_total");
    double total = p.caughtUpNanos() / 1e9;
    double snapshotPhase = p.snapshotHeldNanos() < 0 ? 0 : p.snapshotHeldNanos() / 1e9;
    String line = String.format(Locale.ROOT, "catch-up: keys=%d value_bytes=%d target_index=%d add_ms=%.0f total_s=%.2f "
            + "snapshot_phase_s=%.2f (install_s=%.2f) log_phase_s=%.2f snapshot_index=%d entries_by_log=%d "
            + "snapshots_installed=%.0f snapshot_mib=%.1f log_mib=%.1f leader_state_snapshot=%s", keys, valueBytes, target,
        addMs, total, snapshotPhase, installSeconds, total - snapshotPhase, p.installedIndex(),
        target - p.installedIndex(), installs, snapshotBytes / (1 << 20), logBytes / (1 << 20), p.sawSnapshotState());
    out.println(line);
    return line;
  }

  /** Waits until every founder applied the leader's commit index; the leader's status then. */
  private StatusResponse awaitSettled(BenchAdmin admin, int leader) throws InterruptedException {
    StatusResponse[] last = new StatusResponse[1];
    await("the founders apply everything", 300_000, () -> {
      last[0] = admin.status(leader);
      if (last[0] == null) return false;
      for (int id = 1; id <= BenchCluster.SIZE; id++) {
        StatusResponse s = admin.status(id);
        if (s == null || s.getAppliedIndex() < last[0].getCommitIndex()) return false;
      }
      return true;
    });
    return last[0];
  }

  /** Writes keys 0..keys-1 once each, {@code concurrency} at a time, through the leader; fails on any error. */
  private void fill(BenchAdmin admin, int leader, int keys, int valueBytes, int concurrency) throws Exception {
    Random random = new Random(7);
    byte[][] values = new byte[64][valueBytes];
    for (byte[] value : values) random.nextBytes(value);
    Promise<Void> done = Promise.promise();
    int[] next = {0};
    int[] finished = {0};
    BenchPuts[] opened = new BenchPuts[1];
    vertx.getOrCreateContext().runOnContext(v -> {
      BenchPuts puts = opened[0] = BenchPuts.open("session", vertx, admin.address(leader));
      Runnable[] send = new Runnable[1];
      send[0] = () -> {
        if (next[0] >= keys) return;
        int key = next[0]++;
        byte[] keyBytes = ByteBuffer.allocate(8).putLong(key).array();
        putUntilAnswered(puts, keyBytes, values[key % values.length], 1, done, () -> {
          if (++finished[0] == keys) done.tryComplete();
          send[0].run();
        });
      };
      for (int i = 0; i < concurrency; i++) send[0].run();
    });
    try {
      done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    } finally {
      if (opened[0] != null) opened[0].close();
    }
    if (fillRetries > 0) out.println("fill: " + fillRetries + " writes sent again after a failure (a leader change)");
  }

  private static final int FILL_ATTEMPTS = 50;
  private long fillRetries;

  /**
   * Sends a fill write again after a failure (a leader change under load): writing the same value to the same key
   * twice leaves the same state, so even a write of unknown outcome may be sent again.
   */
  private void putUntilAnswered(BenchPuts puts, byte[] key, byte[] value, int attempt, Promise<Void> done,
      Runnable then) {
    puts.put(key, value, failure -> {
      if (failure == null) {
        then.run();
      } else if (attempt == FILL_ATTEMPTS) {
        done.tryFail(new IllegalStateException("a fill write failed " + attempt + " times", failure));
      } else {
        fillRetries++;
        vertx.setTimer(100, t -> putUntilAnswered(puts, key, value, attempt + 1, done, then));
      }
    });
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  static void await(String what, long timeoutMs, Condition condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      try {
        if (condition.holds()) return;
      } catch (Exception e) {
        // Not yet: a node still starting, a call cut short.
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting until " + what);
      Thread.sleep(100);
    }
  }
}
