package io.raftnode.cluster;

import io.raftnode.NodeConfig;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.storage.StoredSnapshot;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Snapshot transfer throughput (scripts/snapshot-bench.sh; not part of mvn verify). Two figures:
 *
 * <ol>
 *   <li>stream: a key-value snapshot of the given size is streamed with the node's sender to a node.jar follower
 *       process (loopback, plaintext), timed from the first message to the follower's answer, which it sends once
 *       the data is received, checksummed, fsynced and installed as its snapshot file (not yet restored);</li>
 *   <li>catch-up: in a 3-node in-process cluster, a follower whose data dir was wiped is restarted after the
 *       leader compacted; timed from its start until it reports the leader's snapshot installed (durable; its
 *       state machine may still be restoring it).</li>
 * </ol>
 *
 * Arguments: scratch dir, snapshot sizes in MiB (comma separated), chunk sizes in KiB (comma separated).
 */
public final class SnapshotBench {
  private static final int VALUE_BYTES = 1000;

  public static void main(String[] args) throws Exception {
    Path scratch = Path.of(args[0]);
    String[] sizes = args[1].split(",");
    String[] chunks = args[2].split(",");
    Vertx vertx = Vertx.vertx();
    try {
      System.out.println("stream (sender -> node.jar follower):");
      for (String mib : sizes) {
        for (String kib : chunks) stream(vertx, scratch.resolve("stream-" + mib + "-" + kib), Long.parseLong(mib), Integer.parseInt(kib));
      }
      System.out.println("catch-up of a wiped follower (3 in-process nodes, 1 MiB chunks):");
      for (String mib : sizes) catchUp(scratch.resolve("catchup-" + mib), Long.parseLong(mib));
    } finally {
      vertx.close();
    }
  }

  private static void stream(Vertx vertx, Path dir, long mib, int chunkKib) throws Exception {
    long keys = mib * 1024 * 1024 / (VALUE_BYTES + 20);
    try (FollowerProcess follower = new FollowerProcess(Path.of("target/node.jar"), dir, "1g", vertx)) {
      LogId last = LogId.of(1, 1, keys + 1);
      SnapshotMeta meta = new SnapshotMeta(last, new StoredMembership(LogId.of(1, 1, 1), follower.membership()), "bench");
      StoredSnapshot snapshot = SnapshotPush.writeKvSnapshot(dir.resolve("leader"), meta, keys, VALUE_BYTES);
      long start = System.nanoTime();
      TestCluster.await(SnapshotPush.push(vertx, follower.peer, Vote.of(1, 1, true), snapshot, chunkKib * 1024));
      report(snapshot.dataLength(), System.nanoTime() - start, "chunk " + chunkKib + " KiB");
    }
  }

  private static void catchUp(Path dir, long mib) throws Exception {
    NodeConfig.Snapshots settings = new NodeConfig.Snapshots(1_000_000_000L, 0, 1 << 20);
    try (TestCluster cluster = new TestCluster(dir, 3).withSnapshots(settings)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      cluster.stop(follower);
      cluster.wipe(follower);
      String value = "v".repeat(64 * 1024);
      int puts = (int) (mib * 16);
      for (int from = 0; from < puts; from += 32) {
        var batch = new java.util.ArrayList<io.vertx.core.Future<?>>();
        for (int i = from; i < Math.min(puts, from + 32); i++) batch.add(cluster.client(leader).put("k" + i, value));
        TestCluster.await(io.vertx.core.Future.all(batch));
      }
      long index = TestCluster.await(cluster.client(leader).takeSnapshot());
      long start = System.nanoTime();
      cluster.start(follower);
      TestCluster.awaitCondition("the wiped follower installs the snapshot", () -> {
        StatusResponse s = cluster.client(follower).status();
        return s != null && s.getSnapshotIndex() >= index && s.getAppliedIndex() >= index;
      });
      long bytes = java.nio.file.Files.list(cluster.config(follower).dataDir().resolve("snapshots"))
          .mapToLong(p -> p.toFile().length()).max().orElse(0);
      report(bytes, System.nanoTime() - start, "start to installed");
    }
  }

  private static void report(long bytes, long nanos, String what) {
    double seconds = nanos / 1e9;
    System.out.printf("  %,d bytes (%.0f MiB), %s: %.2f s, %.1f MB/s%n",
        bytes, bytes / 1048576.0, what, seconds, bytes / 1e6 / seconds);
  }
}
