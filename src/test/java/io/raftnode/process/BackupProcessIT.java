package io.raftnode.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Backup and restore with real node.jar processes and mTLS between them: {@code snapshot save} (a child process
 * too) while writers keep the cluster busy; every node is then killed and its data dir wiped, three data dirs are
 * restored from the file with {@code snapshot restore}, and the restarted nodes hold every write acknowledged
 * before the save started, on every node, and take new writes. Runs in the integration-test phase, after package.
 */
class BackupProcessIT {
  private static final long WAIT_MS = 90_000;
  private static final String VALUE = "v".repeat(200);

  private NodeProcesses nodes;
  private ProcessClient admin;

  @Test
  void everyWriteAcknowledgedBeforeTheSaveIsOnEveryNodeOfTheRestoredCluster() throws Exception {
    Path jar = Path.of("target", "node.jar");
    assertTrue(Files.isRegularFile(jar), "target/node.jar is missing: run mvn verify (or mvn package) first");
    Path base = Files.createDirectories(Path.of("target", "backup-process")).resolve("run-" + System.currentTimeMillis());
    Path tls = base.resolve("tls");
    Process certs = new ProcessBuilder("bash", "scripts/gen-certs.sh", "--dir", tls.toString(), "3")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertEquals(0, certs.waitFor(), "scripts/gen-certs.sh failed");
    Vertx vertx = Vertx.vertx();
    List<Writer> writers = new ArrayList<>();
    try (NodeProcesses cluster = new NodeProcesses(jar, base, 3, 0, tls, 100, 500, 1000)) {
      nodes = cluster;
      admin = new ProcessClient(vertx, 10_000);
      for (int id = 1; id <= 3; id++) cluster.start(id);
      awaitLeader();
      for (int w = 0; w < 3; w++) writers.add(new Writer(new ProcessClient(vertx, 3000), "w" + w + "-"));
      writers.forEach(Writer::start);
      awaitCondition("1500 acknowledged writes", () -> acknowledged(writers).size() >= 1500);

      Map<String, String> beforeSave = acknowledged(writers);
      Path backup = base.resolve("cluster.raftbak");
      int from = 1 + (int) (System.nanoTime() % 3 + 3) % 3;
      Cli saved = cli(base, jar, "snapshot", "save", backup.toString(), "--server", "127.0.0.1:" + cluster.clientPort(from));
      assertEquals(0, saved.code, saved.output);
      assertTrue(saved.output.contains("snapshot save: " + backup), saved.output);
      int afterSave = acknowledged(writers).size();
      assertTrue(afterSave > beforeSave.size(), "the writers kept writing while the snapshot was saved");
      for (Writer w : writers) w.stop();

      for (int id = 1; id <= 3; id++) cluster.kill9(id);
      String members = List.of(1, 2, 3).stream().map(id -> id + "=127.0.0.1:" + cluster.peerPort(id) + "@127.0.0.1:"
          + cluster.clientPort(id)).collect(Collectors.joining(","));
      for (int id = 1; id <= 3; id++) {
        cluster.wipe(id);
        Cli restored = cli(base, jar, "snapshot", "restore", backup.toString(), "--data-dir",
            cluster.nodeDir(id).resolve("data").toString(), "--node-id", String.valueOf(id), "--members", members);
        assertEquals(0, restored.code, restored.output);
      }
      for (int id = 1; id <= 3; id++) cluster.start(id);
      int leader = awaitLeader();
      admin.put(cluster.clientPort(leader), "after-restore", "taken");
      long commit = admin.status(cluster.clientPort(leader)).getCommitIndex();
      awaitCondition("every node applies " + commit, () -> {
        for (int id = 1; id <= 3; id++) {
          StatusResponse s = admin.status(cluster.clientPort(id));
          if (s == null || s.getAppliedIndex() < commit) return false;
        }
        return true;
      });
      for (int id = 1; id <= 3; id++) {
        for (Map.Entry<String, String> write : beforeSave.entrySet()) {
          GetResponse got = admin.get(cluster.clientPort(id), write.getKey(), Consistency.STALE);
          assertTrue(got.getFound(), "node " + id + " lacks " + write.getKey() + ", acknowledged before the save");
          assertEquals(write.getValue(), ProcessClient.text(got.getValue()), "node " + id + ", key " + write.getKey());
        }
        assertEquals("taken", ProcessClient.text(admin.get(cluster.clientPort(id), "after-restore", Consistency.STALE).getValue()));
      }
    } catch (Throwable e) {
      if (nodes != null) for (int id = 1; id <= 3; id++) System.err.println("node " + id + " log tail:\n" + nodes.logTail(id, 30));
      throw e;
    } finally {
      for (Writer w : writers) w.stop();
      if (admin != null) admin.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  record Cli(int code, String output) {}

  private static Cli cli(Path base, Path jar, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
    command.addAll(List.of(args));
    Path log = base.resolve("cli-" + args[1] + "-" + System.nanoTime() + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command " + List.of(args) + " ends");
    return new Cli(p.exitValue(), Files.readString(log));
  }

  private static Map<String, String> acknowledged(List<Writer> writers) {
    Map<String, String> all = new HashMap<>();
    for (Writer w : writers) all.putAll(w.acknowledged);
    return all;
  }

  private int awaitLeader() throws InterruptedException {
    AtomicInteger leader = new AtomicInteger();
    awaitCondition("a leader", () -> {
      for (int id = 1; id <= 3; id++) {
        StatusResponse s = nodes.isRunning(id) ? admin.status(nodes.clientPort(id)) : null;
        if (s != null && s.getRole().equals("leader")) {
          leader.set(id);
          return true;
        }
      }
      return false;
    });
    return leader.get();
  }

  private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Writes unique keys, one at a time, to the nodes in turn; remembers those acknowledged. */
  private final class Writer {
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final ProcessClient client;
    private final String prefix;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Writer(ProcessClient client, String prefix) {
      this.client = client;
      this.prefix = prefix;
      this.thread = new Thread(this::loop, "backup-writer-" + prefix);
    }

    void start() {
      thread.start();
    }

    void stop() {
      if (!running.getAndSet(false)) return;
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      client.close();
    }

    private void loop() {
      for (int n = 0; running.get(); n++) {
        int id = 1 + n % 3;
        String key = prefix + n;
        try {
          if (nodes.isRunning(id)) {
            client.put(nodes.clientPort(id), key, VALUE + n);
            acknowledged.put(key, VALUE + n);
          }
        } catch (Exception e) {
          // Not acknowledged: no claim is made about it (it may or may not have applied).
        }
      }
    }
  }
}
