package io.raftnode.internal.cli;

import io.raftnode.internal.transport.RemoteCallException;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Write throughput and latency across joint membership changes: a fresh 3-node cluster plus node 4 as a caught-up
 * learner, under a steady closed-loop load at the leader; after a warm-up, three changes with a pause between them:
 * promote 4 ({1,2,3} -> {1,2,3,4}), demote it again ({1,2,3,4} -> {1,2,3}), and replace a voter that does not lead
 * ({1,2,3} -> the other two and 4). Writes go to the first leader (a follower forwards them to a later one). For
 * each change: the window of {@code windowSeconds} before it, the window from
 * half a second before the call to half a second after its answer, and the writes per second around it.
 */
final class BenchJointChanges {
  private static final int JOINER = 4;
  private static final long HALF_SECOND = TimeUnit.MILLISECONDS.toNanos(500);

  private final Vertx vertx;
  private final GrpcClient grpc;
  private final PrintStream out;

  BenchJointChanges(Vertx vertx, GrpcClient grpc, PrintStream out) {
    this.vertx = vertx;
    this.grpc = grpc;
    this.out = out;
  }

  /** A change made under load: its name and the nanoTime its call began and was answered. */
  private record Change(String name, int leader, long startNanos, long endNanos) {}

  /** One run on a fresh cluster in {@code dir}; returns one summary line per change. */
  List<String> run(Path jar, Path dir, int portBase, int concurrency, int valueBytes, int keys, long warmupSeconds,
      long windowSeconds, List<String> jvm) throws Exception {
    try (BenchCluster cluster = new BenchCluster(dir, portBase)) {
      cluster.start(jar, "stream", "", jvm);
      BenchAdmin admin = new BenchAdmin(grpc, cluster);
      int leader = cluster.awaitLeader(grpc, 60_000);
      cluster.startJoiner(JOINER, jar, jvm);
      BenchCatchUp.await("node 4 answers Status", 60_000, () -> admin.status(JOINER) != null);
      admin.addLearner(leader, JOINER);
      BenchTimeline load = new BenchTimeline(vertx, admin.address(leader), concurrency, keys, valueBytes);
      load.start();
      long pause = TimeUnit.SECONDS.toNanos(windowSeconds) + 3 * HALF_SECOND;
      List<Change> changes = new ArrayList<>();
      sleepNanos(TimeUnit.SECONDS.toNanos(warmupSeconds + windowSeconds));
      changes.add(change(cluster, admin, "promote {1,2,3}->{1,2,3,4}", List.of(1, 2, 3, 4)));
      sleepNanos(pause);
      changes.add(change(cluster, admin, "demote {1,2,3,4}->{1,2,3}", List.of(1, 2, 3)));
      sleepNanos(pause);
      int current = cluster.awaitLeader(grpc, 60_000);
      int replaced = current == 3 ? 2 : 3;
      List<Integer> voters = new ArrayList<>(List.of(1, 2, 3));
      voters.remove(Integer.valueOf(replaced));
      voters.add(JOINER);
      changes.add(change(cluster, admin, "replace " + replaced + " {1,2,3}->{" + voters.get(0) + "," + voters.get(1)
          + ",4}", voters));
      sleepNanos(pause);
      load.stop();
      List<String> lines = new ArrayList<>();
      for (Change c : changes) lines.add(report(load, c, windowSeconds, concurrency));
      return lines;
    }
  }

  /**
   * Makes the change through the node that leads now. A refusal that passes (no leader, a learner not yet caught up
   * in the eyes of a newly elected leader) is retried; the change's time is that of the call that made it.
   */
  private static Change change(BenchCluster cluster, BenchAdmin admin, String name, List<Integer> voters)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      int leader = cluster.awaitLeader(admin.grpc(), 60_000);
      long start = System.nanoTime();
      try {
        admin.changeVoters(leader, voters);
        return new Change(name, leader, start, System.nanoTime());
      } catch (java.util.concurrent.ExecutionException e) {
        boolean passing = e.getCause() instanceof RemoteCallException r && (r.status() == GrpcStatus.UNAVAILABLE
            || r.status() == GrpcStatus.FAILED_PRECONDITION && String.valueOf(r.statusMessage()).contains("caught up"));
        if (!passing || System.nanoTime() > deadline) throw e;
        Thread.sleep(200);
      }
    }
  }

  private String report(BenchTimeline load, Change c, long windowSeconds, int concurrency) {
    BenchTimeline.Window before = load.window(c.startNanos() - TimeUnit.SECONDS.toNanos(windowSeconds), c.startNanos());
    BenchTimeline.Window around = load.window(c.startNanos() - HALF_SECOND, c.endNanos() + HALF_SECOND);
    StringBuilder perSecond = new StringBuilder();
    for (int s = -3; s < 4; s++) {
      long from = c.startNanos() + TimeUnit.SECONDS.toNanos(s);
      if (s > -3) perSecond.append(',');
      perSecond.append(String.format(Locale.ROOT, "%.0f", load.window(from, from + TimeUnit.SECONDS.toNanos(1)).writesPerSecond()));
    }
    String line = String.format(Locale.ROOT, "joint: change=\"%s\" C=%d leader=n%d change_ms=%.1f "
            + "before: writes_per_s=%.0f p99_ms=%.2f max_ms=%.2f errors=%d | around(%.2fs): writes_per_s=%.0f p99_ms=%.2f "
            + "max_ms=%.2f errors=%d | writes_per_s_by_second(-3..+3)=%s",
        c.name(), concurrency, c.leader(), (c.endNanos() - c.startNanos()) / 1e6, before.writesPerSecond(), before.p99Ms(),
        before.maxMs(), before.errors(), around.seconds(), around.writesPerSecond(), around.p99Ms(), around.maxMs(),
        around.errors(), perSecond);
    out.println(line);
    return line;
  }

  private static void sleepNanos(long nanos) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(nanos);
  }
}
