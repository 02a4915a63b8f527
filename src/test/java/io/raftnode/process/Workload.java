package io.raftnode.process;

import io.raftnode.proto.CompareAndSwapResponse;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.sim.History;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients of a process cluster, each one operation at a time, recording every operation in a shared
 * {@link History}: Puts of keys written once (to check that every acknowledged write survives on every node),
 * and Puts, CompareAndSwaps and LINEARIZABLE Gets on a few shared keys (for the linearizability check). A call goes
 * to any running node; followers forward writes to the leader. A write that fails in any way has an unknown
 * outcome (the request may have reached the leader before the error), so it is never retried as the same
 * operation; a read that fails is simply not recorded.
 */
final class Workload {
  static final List<String> SHARED_KEYS = List.of("s0", "s1", "s2", "s3", "s4");

  /** A write to a key written only once, acknowledged by the cluster. */
  record Acknowledged(String key, String value) {}

  private final NodeProcesses cluster;
  private final History history;
  private final List<Thread> threads = new ArrayList<>();
  private final List<ProcessClient> clients = new ArrayList<>();
  private final ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;
  final AtomicLong ok = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  Workload(Vertx vertx, NodeProcesses cluster, History history, int clientCount, long seed) {
    this.cluster = cluster;
    this.history = history;
    for (int c = 1; c <= clientCount; c++) {
      ProcessClient client = new ProcessClient(vertx, 5000);
      clients.add(client);
      int id = c;
      Random random = new Random(seed * 31 + c);
      Thread t = new Thread(() -> loop(id, client, random), "workload-client-" + c);
      t.setDaemon(true);
      threads.add(t);
    }
  }

  void start() {
    threads.forEach(Thread::start);
  }

  /** Stops issuing operations and waits for the ones in progress. */
  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) t.join(30_000);
    clients.forEach(ProcessClient::close);
  }

  List<Acknowledged> acknowledged() {
    return List.copyOf(acknowledged);
  }

  private void loop(int id, ProcessClient client, Random random) {
    Map<String, String> lastSeen = new HashMap<>();
    int written = 0;
    while (running) {
      int node = pickNode(random);
      if (node == 0) {
        sleep(50);
        continue;
      }
      int port = cluster.clientPort(node);
      int dice = random.nextInt(100);
      String value = "c" + id + "-" + written++;
      History.Op op;
      try {
        if (dice < 30) {
          String key = "u-" + value;
          op = history.put(id, key, value);
          if (!call(op, () -> client.put(port, key, value))) continue;
          history.ok(op, true, null);
          acknowledged.add(new Acknowledged(key, value));
        } else if (dice < 55) {
          String key = shared(random);
          op = history.put(id, key, value);
          if (!call(op, () -> client.put(port, key, value))) continue;
          history.ok(op, true, null);
          lastSeen.put(key, value);
        } else if (dice < 75) {
          String key = shared(random);
          String expected = lastSeen.get(key);
          op = history.cas(id, key, expected != null, expected, value);
          CompareAndSwapResponse[] r = new CompareAndSwapResponse[1];
          if (!call(op, () -> r[0] = client.cas(port, key, expected, value))) continue;
          String now = r[0].getCurrentPresent() ? ProcessClient.text(r[0].getCurrentValue()) : null;
          history.ok(op, r[0].getSucceeded(), now);
          lastSeen.put(key, now);
        } else {
          String key = shared(random);
          op = history.get(id, key);
          GetResponse[] r = new GetResponse[1];
          if (!call(op, () -> r[0] = client.get(port, key, Consistency.LINEARIZABLE))) continue;
          String seen = r[0].getFound() ? ProcessClient.text(r[0].getValue()) : null;
          history.ok(op, r[0].getFound(), seen);
          lastSeen.put(key, seen);
        }
        ok.incrementAndGet();
      } catch (RuntimeException e) {
        failed.incrementAndGet();
      }
    }
  }

  private interface Call {
    Object run() throws Exception;
  }

  /** Runs the call; on any failure records the outcome as unknown, backs off and returns false. */
  private boolean call(History.Op op, Call call) {
    try {
      call.run();
      return true;
    } catch (Exception e) {
      history.unknown(op);
      failed.incrementAndGet();
      sleep(50);
      return false;
    }
  }

  private int pickNode(Random random) {
    List<Integer> candidates = new ArrayList<>();
    for (int id = 1; id <= cluster.size(); id++) {
      if (cluster.isRunning(id) && !cluster.isStopped(id)) candidates.add(id);
    }
    return candidates.isEmpty() ? 0 : candidates.get(random.nextInt(candidates.size()));
  }

  private static String shared(Random random) {
    return SHARED_KEYS.get(random.nextInt(SHARED_KEYS.size()));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
