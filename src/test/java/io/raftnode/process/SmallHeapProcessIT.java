package io.raftnode.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Three node.jar processes on {@code -Xmx128m} with the default memory settings take writes totalling ten times
 * their heap (64 KiB to 512 KiB values over 48 keys, so the state itself stays small); then the two
 * that ran restart, and the third, stopped before the first write, catches up from the others' disks. Every
 * key's last acknowledged value reads back intact (CRC32C) on every node, and no node died (they run with
 * {@code -XX:+ExitOnOutOfMemoryError}, so running out of heap would end the process). Runs in the integration-test
 * phase, after the package phase has built target/node.jar; nodes' data and logs stay in
 * target/small-heap/run-SEED.
 */
class SmallHeapProcessIT {
  private static final long HEAP_BYTES = 128L << 20;
  private static final long TOTAL_BYTES = 10 * HEAP_BYTES;
  private static final int KEYS = 48;
  private static final int WRITERS = 8;
  private static final long WAIT_MS = 90_000;

  private NodeProcesses cluster;
  private ProcessClient client;

  @Test
  void writesOfTenTimesTheHeapSurviveRestartsAndReachAFollowerStoppedThroughout() throws Exception {
    long seed = Long.getLong("process.seed", System.currentTimeMillis());
    Path jar = Path.of("target", "node.jar");
    assertTrue(Files.isRegularFile(jar), "target/node.jar is missing: run mvn verify (or mvn package) first");
    Path base = Files.createDirectories(Path.of("target", "small-heap")).resolve("run-" + seed);
    Vertx vertx = Vertx.vertx();
    try (NodeProcesses nodes = new NodeProcesses(jar, base, 3, 0, null, 100, 500, 1000, "")) {
      cluster = nodes;
      client = new ProcessClient(vertx, 10_000);
      nodes.jvmOptions("-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
      for (int id = 1; id <= 3; id++) nodes.start(id);
      int leader = awaitLeader();
      int stopped = leader % 3 + 1;
      nodes.kill9(stopped);
      log("seed " + seed + ", leader " + leader + ", node " + stopped + " stopped before the first write");

      long[] expected = write(seed);
      for (int id = 1; id <= 3; id++) {
        if (id != stopped) assertTrue(nodes.isRunning(id), "node " + id + " ran the whole load:\n" + nodes.logTail(id, 40));
      }
      for (int id = 1; id <= 3; id++) {
        if (id == stopped) continue;
        nodes.kill9(id);
        nodes.start(id);
      }
      nodes.start(stopped);
      awaitLeader();
      awaitCaughtUp();
      for (int id = 1; id <= 3; id++) {
        assertTrue(nodes.isRunning(id), "node " + id + " runs:\n" + nodes.logTail(id, 40));
        checkValues(id, expected);
      }
      log("every value intact on every node");
    } finally {
      if (client != null) client.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Writers own disjoint keys and write each value until it is acknowledged (a retry writes the same value, so
   * a write whose first outcome was unknown ends the same way); returns each key's last value's checksum.
   */
  private long[] write(long seed) throws Exception {
    long[] expected = new long[KEYS];
    AtomicLong written = new AtomicLong();
    ConcurrentHashMap<Integer, Throwable> failures = new ConcurrentHashMap<>();
    List<Thread> writers = new ArrayList<>();
    long started = System.nanoTime();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Thread t = new Thread(() -> {
        Random random = new Random(seed * 31 + writer);
        try {
          for (int n = 0; written.get() < TOTAL_BYTES; n++) {
            int key = writer + WRITERS * (n % (KEYS / WRITERS));
            byte[] value = new byte[(64 << 10) + random.nextInt(448 << 10)];
            random.nextBytes(value);
            putUntilAcknowledged("key" + key, value);
            expected[key] = crc(value);
            written.addAndGet(value.length);
          }
        } catch (Throwable e) {
          failures.put(writer, e);
        }
      }, "writer-" + w);
      t.start();
      writers.add(t);
    }
    for (Thread t : writers) t.join();
    if (!failures.isEmpty()) throw new AssertionError("writers failed: " + failures, failures.values().iterator().next());
    log(written.get() / (1 << 20) + " MiB written in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
    return expected;
  }

  private void putUntilAcknowledged(String key, byte[] value) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    int node = 1;
    while (true) {
      try {
        client.put(cluster.clientPort(node), key, value);
        return;
      } catch (Exception e) {
        // Refused by flow control (RESOURCE_EXHAUSTED), no leader for a moment, or the node stopped: try again.
        if (System.nanoTime() > deadline) throw new AssertionError("no write of " + key + " within " + WAIT_MS + " ms", e);
        node = runningNodeAfter(node);
        TimeUnit.MILLISECONDS.sleep(20);
      }
    }
  }

  private int runningNodeAfter(int node) {
    for (int i = 1; i <= 3; i++) {
      int next = (node + i - 1) % 3 + 1;
      if (cluster.isRunning(next)) return next;
    }
    return node;
  }

  private void checkValues(int id, long[] expected) throws Exception {
    for (int key = 0; key < KEYS; key++) {
      GetResponse got = client.get(cluster.clientPort(id), "key" + key, Consistency.STALE);
      assertTrue(got.getFound(), "node " + id + " has key" + key);
      assertEquals(expected[key], crc(got.getValue().toByteArray()), "node " + id + " key" + key + " intact");
    }
  }

  private void awaitCaughtUp() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    while (System.nanoTime() < deadline) {
      StatusResponse[] s = new StatusResponse[4];
      boolean all = true;
      for (int id = 1; id <= 3; id++) {
        s[id] = client.status(cluster.clientPort(id));
        all &= s[id] != null;
      }
      if (all && s[1].getAppliedIndex() == s[2].getAppliedIndex() && s[2].getAppliedIndex() == s[3].getAppliedIndex()
          && s[1].getAppliedIndex() >= s[1].getCommitIndex()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    fail("the nodes did not reach the same applied index within " + WAIT_MS + " ms");
  }

  private int awaitLeader() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    while (System.nanoTime() < deadline) {
      for (int id = 1; id <= 3; id++) {
        StatusResponse s = cluster.isRunning(id) ? client.status(cluster.clientPort(id)) : null;
        if (s != null && s.getRole().equals("leader")) return id;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    fail("no leader within " + WAIT_MS + " ms");
    return 0;
  }

  private static long crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }

  private static void log(String message) {
    System.out.println("[small-heap] " + message);
  }
}
