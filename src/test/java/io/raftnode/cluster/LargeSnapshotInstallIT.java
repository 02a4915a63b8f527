package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.SnapshotResponse;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.storage.BackupFile;
import io.raftnode.internal.storage.StoredSnapshot;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot of a key-value state with one million keys installs on a follower whose heap is capped: a node.jar
 * child process with an {@code -Xmx} that holds the restored state but not the state plus a copy of the
 * snapshot, so a follower that buffered the stream or the file would run out ({@code -XX:+ExitOnOutOfMemoryError}
 * makes that a visible failure). The test plays the leader: it writes the snapshot file key by key and streams it
 * with the node's own sender. Then {@code snapshot save} backs the installed snapshot up from the follower with a
 * heap smaller than the snapshot, and the follower streams it without running out. Runs after {@code package} (it needs target/node.jar); see docs/TESTING.md.
 */
@Timeout(180)
class LargeSnapshotInstallIT {
  static final long KEYS = 1_000_000;
  static final int VALUE_BYTES = 64;
  /**
   * The restored map needs about 140 MB (the restore fails at -Xmx136m and passes at -Xmx144m: 81 MB of records
   * and a 48 MB table); the snapshot is 82 MB. 176 MB leaves room for the map and its garbage collector, but not
   * for a copy of the snapshot beside it.
   */
  static final String FOLLOWER_HEAP = System.getProperty("snapshot.it.xmx", "176m");

  /** Below the 82 MB snapshot: a command that held it would run out. */
  static final String SAVE_HEAP = "40m";

  @TempDir
  Path dir;

  @Test
  void aMillionKeySnapshotInstallsOnAFollowerWithASmallHeap() throws Exception {
    Path jar = Path.of("target/node.jar");
    assertTrue(Files.exists(jar), "run after mvn package: " + jar.toAbsolutePath());
    Vertx vertx = Vertx.vertx();
    try (FollowerProcess follower = new FollowerProcess(jar, dir, FOLLOWER_HEAP, vertx)) {
      LogId last = LogId.of(1, 1, KEYS + 1);
      SnapshotMeta meta = new SnapshotMeta(last, new StoredMembership(LogId.of(1, 1, 1), follower.membership()), "it-1m");
      StoredSnapshot snapshot = SnapshotPush.writeKvSnapshot(dir.resolve("leader"), meta, KEYS, VALUE_BYTES);
      long started = System.nanoTime();
      SnapshotResponse response = TestCluster.await(
          SnapshotPush.push(vertx, follower.peer, Vote.of(1, 1, true), snapshot, 1 << 20));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      System.out.printf("1M-key snapshot: %d bytes transferred and stored in %d ms with -Xmx%s%n",
          snapshot.dataLength(), ms, FOLLOWER_HEAP);
      assertEquals(Vote.of(1, 1, true), response.vote());
      TestCluster.awaitCondition("the follower reports the snapshot", () -> {
        StatusResponse s = follower.kv.status();
        return s != null && s.getSnapshotIndex() == last.index() && s.getAppliedIndex() == last.index();
      });
      for (long i : new long[] {0, 1, 499_999, KEYS - 1}) {
        GetResponse r = readWhenRestored(follower, SnapshotPush.key(i));
        assertTrue(r.getFound(), SnapshotPush.key(i));
        assertArrayEquals(SnapshotPush.value(i, VALUE_BYTES), r.getValue().toByteArray(), SnapshotPush.key(i));
      }
      assertTrue(follower.process.isAlive(), "the follower did not run out of heap (see follower.log)");
      saveWithSmallHeaps(jar, follower, snapshot);
    } finally {
      vertx.close();
    }
  }

  /**
   * A backup of the installed snapshot streams with bounded memory on both ends: the follower holds the restored
   * map and has no room for a copy of the 82 MB snapshot beside it, and {@code snapshot save} runs with a heap
   * smaller than the snapshot.
   */
  private void saveWithSmallHeaps(Path jar, FollowerProcess follower, StoredSnapshot snapshot) throws Exception {
    Path backup = dir.resolve("backup.raftbak");
    Path log = dir.resolve("save.log");
    Process save = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + SAVE_HEAP, "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(), "snapshot", "save",
        backup.toString(), "--use-latest", "--server", follower.client.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(save.waitFor(120, TimeUnit.SECONDS), "snapshot save ends");
    assertEquals(0, save.exitValue(), Files.readString(log));
    BackupFile.Contents saved = BackupFile.verify(backup);
    assertEquals(snapshot.dataLength(), saved.dataLength());
    assertEquals(snapshot.crc(), saved.crc());
    assertTrue(follower.process.isAlive(), "the follower did not run out of heap streaming it (see follower.log)");
  }

  /** Local reads are refused while the follower restores the snapshot into its state machine. */
  private static GetResponse readWhenRestored(FollowerProcess follower, String key) {
    GetResponse[] found = {null};
    TestCluster.awaitCondition("a local read of " + key, () -> {
      if (!follower.process.isAlive()) throw new AssertionError("the follower exited (out of heap? see follower.log)");
      try {
        found[0] = TestCluster.await(follower.kv.get(key, Consistency.STALE));
        return true;
      } catch (AssertionError restoring) {
        return false;
      }
    });
    return found[0];
  }
}
