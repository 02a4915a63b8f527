package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.model.HostAndPort;
import io.raftnode.model.LogId;
import io.raftnode.model.Membership;
import io.raftnode.model.Node;
import io.raftnode.model.SnapshotMeta;
import io.raftnode.model.SnapshotResponse;
import io.raftnode.model.StoredMembership;
import io.raftnode.model.Vote;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.StatusResponse;
import io.raftnode.storage.StoredSnapshot;
import io.vertx.core.Vertx;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot of a key-value state with one million keys installs on a follower whose heap is capped (a node.jar
 * child process with {@code -Xmx} below the restored state plus the snapshot's size, so a follower that held the
 * snapshot in memory would run out; {@code -XX:+ExitOnOutOfMemoryError} makes that a visible failure). The test
 * plays the leader: it writes the snapshot file key by key and streams it with the node's own sender.
 * Runs after {@code package} (it needs target/node.jar); docs/TESTING.md.
 */
@Timeout(180)
class LargeSnapshotInstallIT {
  static final long KEYS = 1_000_000;
  static final int VALUE_BYTES = 64;
  /**
   * The restored map needs between 160 and 192 MB (the restore fails at -Xmx160m and passes at -Xmx192m); the
   * snapshot is 82 MB. 208 MB leaves a little room for the map but not for a copy of the snapshot beside it.
   */
  static final String FOLLOWER_HEAP = System.getProperty("snapshot.it.xmx", "208m");

  @TempDir
  Path dir;

  @Test
  void aMillionKeySnapshotInstallsOnAFollowerWithASmallHeap() throws Exception {
    Path jar = Path.of("target/node.jar");
    assertTrue(Files.exists(jar), "run after mvn package: " + jar.toAbsolutePath());
    int[] ports = freePorts(4);
    HostAndPort peer = HostAndPort.parse("127.0.0.1:" + ports[0]);
    HostAndPort client = HostAndPort.parse("127.0.0.1:" + ports[1]);
    Path config = writeFollowerConfig(peer, client, "127.0.0.1:" + ports[2], "127.0.0.1:" + ports[3]);
    Process follower = new ProcessBuilder(javaBin(), "-Xmx" + FOLLOWER_HEAP, "-XX:+ExitOnOutOfMemoryError",
        "-jar", jar.toAbsolutePath().toString(), "-conf", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("follower.log").toFile()).start();
    Vertx vertx = Vertx.vertx();
    KvTestClient kv = new KvTestClient(vertx, client, new TestCluster(dir.resolve("unused"), 0).clientPortOptions());
    try {
      TestCluster.awaitCondition("the follower answers", () -> kv.status() != null);
      Membership membership = new Membership(List.of(Set.of(1L)), new TreeMap<>(Map.of(
          1L, new Node("127.0.0.1:" + ports[2], "127.0.0.1:" + ports[3]), 2L, new Node(peer.toString(), client.toString()))));
      LogId last = LogId.of(1, 1, KEYS + 1);
      SnapshotMeta meta = new SnapshotMeta(last, new StoredMembership(LogId.of(1, 1, 1), membership), "it-1m");
      StoredSnapshot snapshot = SnapshotPush.writeKvSnapshot(dir.resolve("leader"), meta, KEYS, VALUE_BYTES);
      long started = System.nanoTime();
      SnapshotResponse response = TestCluster.await(SnapshotPush.push(vertx, peer, Vote.of(1, 1, true), snapshot, 1 << 20));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      System.out.printf("1M-key snapshot: %d bytes transferred and stored in %d ms with -Xmx%s%n",
          snapshot.dataLength(), ms, FOLLOWER_HEAP);
      assertEquals(Vote.of(1, 1, true), response.vote());
      TestCluster.awaitCondition("the follower reports the snapshot", () -> {
        StatusResponse s = kv.status();
        return s != null && s.getSnapshotIndex() == last.index() && s.getAppliedIndex() == last.index();
      });
      for (long i : new long[] {0, 1, 499_999, KEYS - 1}) {
        GetResponse r = readWhenRestored(follower, kv, SnapshotPush.key(i));
        assertTrue(r.getFound(), SnapshotPush.key(i));
        assertTrue(Arrays.equals(SnapshotPush.value(i, VALUE_BYTES), r.getValue().toByteArray()), SnapshotPush.key(i));
      }
      assertTrue(follower.isAlive(), "the follower did not run out of heap (see follower.log)");
    } finally {
      follower.destroy();
      follower.waitFor(10, TimeUnit.SECONDS);
      kv.close();
      vertx.close();
    }
  }

  private static GetResponse readWhenRestored(Process follower, KvTestClient kv, String key) {
    GetResponse[] found = {null};
    TestCluster.awaitCondition("a local read of " + key, () -> {
      if (!follower.isAlive()) throw new AssertionError("the follower exited (out of heap? see follower.log)");
      try {
        found[0] = TestCluster.await(kv.get(key, Consistency.STALE));
        return true;
      } catch (AssertionError restoring) {
        return false;
      }
    });
    return found[0];
  }

  /** A node that is not in {@code members}: it starts empty, never stands for election and waits for a leader. */
  private Path writeFollowerConfig(HostAndPort peer, HostAndPort client, String leaderPeer, String leaderClient)
      throws Exception {
    Path file = dir.resolve("follower.json");
    Files.writeString(file, "{\n"
        + "  \"node_id\": 2,\n"
        + "  \"peer_address\": \"" + peer + "\",\n"
        + "  \"client_address\": \"" + client + "\",\n"
        + "  \"data_dir\": \"" + dir.resolve("follower-data").toAbsolutePath() + "\",\n"
        + "  \"members\": {\"1\": {\"peer_address\": \"" + leaderPeer + "\", \"client_address\": \"" + leaderClient + "\"}},\n"
        + "  \"tls\": {\"enabled\": false}\n"
        + "}\n");
    return file;
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  private static int[] freePorts(int n) throws Exception {
    ServerSocket[] sockets = new ServerSocket[n];
    int[] ports = new int[n];
    try {
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) if (s != null) s.close();
    }
    return ports;
  }
}
