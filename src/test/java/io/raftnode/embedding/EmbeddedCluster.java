package io.raftnode.embedding;

import io.raftnode.RaftNodeVerticle;
import io.raftnode.internal.node.InternalNode;
import io.raftnode.statemachine.StateMachine;
import io.raftnode.testing.FreePorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Three nodes in one Vert.x instance as an application embeds them: each a {@link RaftNodeVerticle} deployed with
 * its JSON config in the DeploymentOptions, replicating a {@link Counter}.
 */
final class EmbeddedCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);

  final Vertx vertx = Vertx.vertx();
  final Map<Long, RaftNodeVerticle> nodes = new TreeMap<>();
  final Map<Long, Counter> counters = new TreeMap<>();
  /** Each node's internal view, as its own services get it: for changes the embedding API does not make. */
  final Map<Long, InternalNode> internals = new ConcurrentHashMap<>();
  private final List<JsonObject> configs = new ArrayList<>();

  EmbeddedCluster(Path dir) throws IOException {
    List<Integer> ports = FreePorts.of(6);
    JsonObject members = new JsonObject();
    for (int id = 1; id <= 3; id++) {
      members.put(String.valueOf(id), new JsonObject().put("peer_address", "127.0.0.1:" + ports.get(2 * id - 2))
          .put("client_address", "127.0.0.1:" + ports.get(2 * id - 1)));
    }
    for (int id = 1; id <= 3; id++) {
      JsonObject self = members.getJsonObject(String.valueOf(id));
      configs.add(new JsonObject().put("node_id", id).put("peer_address", self.getString("peer_address"))
          .put("client_address", self.getString("client_address")).put("data_dir", dir.resolve("node" + id).toString())
          .put("members", members));
    }
  }

  JsonObject config(long id) {
    return configs.get((int) id - 1);
  }

  void startAll() {
    List<Future<String>> started = new ArrayList<>();
    for (long id = 1; id <= 3; id++) {
      Counter counter = new Counter();
      long nodeId = id;
      RaftNodeVerticle node =
          new RaftNodeVerticle(counter, (server, bound) -> internals.put(nodeId, InternalNode.of(bound)));
      counters.put(id, counter);
      nodes.put(id, node);
      started.add(vertx.deployVerticle(node, new DeploymentOptions().setConfig(config(id))));
    }
    await(Future.all(started));
  }

  /** The leader every node agrees on. */
  long awaitLeader() {
    long[] leader = new long[1];
    awaitCondition("one leader every node follows", () -> {
      long seen = -1;
      for (RaftNodeVerticle node : nodes.values()) {
        long id = await(node.status()).leaderId();
        if (id == 0 || (seen != -1 && id != seen)) return false;
        seen = id;
      }
      leader[0] = seen;
      return true;
    });
    return leader[0];
  }

  static void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("operation failed: " + e, e);
    }
  }

  static byte[] add(long delta) {
    return ByteBuffer.allocate(8).putLong(delta).array();
  }

  static long value(byte[] answer) {
    return ByteBuffer.wrap(answer).getLong();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A counter that adds each command's 8-byte delta; applies on the Raft loop and remembers that thread. */
  static final class Counter implements StateMachine {
    private long value;
    volatile Thread applyThread;

    @Override
    public byte[] apply(long index, byte[] command) {
      applyThread = Thread.currentThread();
      value += ByteBuffer.wrap(command).getLong();
      return add(value);
    }

    @Override
    public byte[] query(byte[] query) {
      return add(value);
    }

    @Override
    public boolean runsOnEventLoop() {
      return true;
    }
  }
}
