package io.raftnode.examples.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.Applied;
import io.raftnode.LeaderChange;
import io.raftnode.RaftNode;
import io.raftnode.RaftNodeVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counter service as three nodes in one JVM, each deployed from its JSON config. */
class CounterClusterTest {
  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final Map<Long, JsonObject> configs = new TreeMap<>();
  private final Map<Long, RaftNodeVerticle> nodes = new TreeMap<>();

  @BeforeEach
  void startThreeNodes() throws Exception {
    List<Integer> ports = freePorts(6);
    JsonObject members = new JsonObject();
    for (long id = 1; id <= 3; id++) {
      members.put(String.valueOf(id), new JsonObject()
          .put("peer_address", "127.0.0.1:" + ports.get((int) (2 * id - 2)))
          .put("client_address", "127.0.0.1:" + ports.get((int) (2 * id - 1))));
    }
    List<Future<RaftNodeVerticle>> starting = new ArrayList<>();
    for (long id = 1; id <= 3; id++) {
      JsonObject self = members.getJsonObject(String.valueOf(id));
      configs.put(id, new JsonObject().put("node_id", id).put("peer_address", self.getString("peer_address"))
          .put("client_address", self.getString("client_address"))
          .put("data_dir", dir.resolve("node" + id).toString()).put("members", members));
      starting.add(CounterNodes.start(vertx, configs.get(id)));
    }
    for (long id = 1; id <= 3; id++) nodes.put(id, await(starting.get((int) id - 1)));
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void addsOnTheLeaderAreReadOnEveryNodeAtTheirIndex() {
    RaftNode leader = leader();
    await(leader.propose(CounterCommands.add("a", 2)));
    Applied last = await(leader.propose(CounterCommands.add("a", 3)));
    assertEquals(5, CounterCommands.valueOf(last.result()));
    await(leader.propose(CounterCommands.add("b", -1)));
    for (RaftNode node : nodes.values()) {
      assertEquals(5, CounterCommands.valueOf(await(node.query(CounterCommands.get("a"), last.index(), 10_000))));
    }
  }

  @Test
  void afterALeaderChangeTheNewLeaderGoesOnFromTheSameCount() {
    RaftNode leader = leader();
    await(leader.propose(CounterCommands.add("a", 10)));
    List<LeaderChange> heard = new CopyOnWriteArrayList<>();
    leader.onLeaderChange(heard::add);
    long next = await(leader.transferLeadership(0));
    assertNotEquals(leader.nodeId(), next);
    Applied added = await(nodes.get(next).propose(CounterCommands.add("a", 1)));
    assertEquals(11, CounterCommands.valueOf(added.result()));
    awaitTrue("the old leader heard of the new one",
        () -> heard.stream().anyMatch(change -> change.leaderId() == next && !change.thisNodeLeads()));
  }

  @Test
  void aNodeRestartedAfterASnapshotHasEveryCount() throws Exception {
    RaftNode leader = leader();
    long follower = nodes.keySet().stream().filter(id -> id != leader.nodeId()).findFirst().orElseThrow();
    Applied before = await(leader.propose(CounterCommands.add("a", 7)));
    await(nodes.get(follower).query(CounterCommands.get("a"), before.index(), 10_000));
    long snapshotIndex = await(nodes.get(follower).takeSnapshot());
    assertTrue(snapshotIndex >= before.index(), "snapshot at " + snapshotIndex);

    await(vertx.undeploy(nodes.get(follower).deploymentID()));
    Applied during = await(leader.propose(CounterCommands.add("a", 1)));
    RaftNodeVerticle restarted = await(CounterNodes.start(vertx, configs.get(follower)));
    assertEquals(snapshotIndex, await(restarted.status()).snapshotIndex());
    assertEquals(8, CounterCommands.valueOf(await(restarted.query(CounterCommands.get("a"), during.index(), 10_000))));
  }

  private RaftNode leader() {
    long id = await(nodes.get(1L).leaderKnown()).id();
    return nodes.get(id);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("operation failed: " + e, e);
    }
  }

  private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static List<Integer> freePorts(int n) throws Exception {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) sockets.add(new ServerSocket(0));
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) socket.close();
    }
  }
}
