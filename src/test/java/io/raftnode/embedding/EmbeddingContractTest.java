package io.raftnode.embedding;

import static io.raftnode.embedding.EmbeddedCluster.add;
import static io.raftnode.embedding.EmbeddedCluster.await;
import static io.raftnode.embedding.EmbeddedCluster.awaitCondition;
import static io.raftnode.embedding.EmbeddedCluster.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.Applied;
import io.raftnode.ConfigException;
import io.raftnode.KnownLeader;
import io.raftnode.LeaderChange;
import io.raftnode.MembershipChange;
import io.raftnode.RaftNode;
import io.raftnode.RaftNodeVerticle;
import io.raftnode.internal.model.MembershipCommand;
import io.raftnode.internal.model.Node;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API as an application sees it: deployment by JSON config, leader future, listeners, contexts. */
class EmbeddingContractTest {
  @TempDir
  Path dir;
  private EmbeddedCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new EmbeddedCluster(dir);
  }

  @AfterEach
  void close() throws Exception {
    cluster.close();
  }

  @Test
  void aBadDeploymentConfigFailsTheDeploymentNamingTheKey() {
    JsonObject bad = cluster.config(1).copy().put("raft", new JsonObject().put("heartbeat_ms", 10));
    Future<String> deployed = cluster.vertx.deployVerticle(new RaftNodeVerticle(new EmbeddedCluster.Counter()),
        new DeploymentOptions().setConfig(bad));
    Throwable failure = assertThrowsFrom(deployed);
    assertInstanceOf(ConfigException.class, failure);
    assertTrue(failure.getMessage().contains("heartbeat_ms"), failure.getMessage());
  }

  @Test
  void aNodeWithNoConfigFailsItsDeploymentSayingSo() {
    Throwable failure = assertThrowsFrom(cluster.vertx.deployVerticle(new RaftNodeVerticle(new EmbeddedCluster.Counter())));
    assertInstanceOf(ConfigException.class, failure);
    assertTrue(failure.getMessage().contains("no config"), failure.getMessage());
  }

  @Test
  void leaderKnownCompletesOnceAnElectionIsOverAndNamesTheLeaderEveryNodeFollows() {
    List<Future<KnownLeader>> known = cluster.nodes.values().stream().map(RaftNode::leaderKnown).toList();
    cluster.startAll();
    long leader = cluster.awaitLeader();
    for (Future<KnownLeader> each : known) {
      long named = await(each).id();
      // An early election may have been won by another node that lost it since; then it named that one.
      assertNotEquals(0, named);
    }
    assertEquals(leader, await(cluster.nodes.get(leader).leaderKnown()).id());
  }

  @Test
  void futuresForCallersOnNoVertxThreadCompleteOffTheRaftLoop() {
    cluster.startAll();
    RaftNodeVerticle leader = cluster.nodes.get(cluster.awaitLeader());
    AtomicReference<Thread> completedOn = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    leader.propose(add(1)).onComplete(result -> {
      completedOn.set(Thread.currentThread());
      done.countDown();
    });
    awaitLatch(done);
    Thread raftLoop = cluster.counters.get(leader.nodeId()).applyThread;
    assertNotSame(raftLoop, completedOn.get(), "the proposal completed on the Raft loop " + raftLoop.getName());
  }

  @Test
  void aCallbackThatBlocksDoesNotStopTheClusterCommittingOrKeepingItsLeader() throws Exception {
    cluster.startAll();
    long leaderId = cluster.awaitLeader();
    RaftNodeVerticle leader = cluster.nodes.get(leaderId);
    List<LeaderChange> changes = new CopyOnWriteArrayList<>();
    Context watcher = cluster.vertx.getOrCreateContext();
    CountDownLatch watching = new CountDownLatch(1);
    watcher.runOnContext(v -> {
      leader.onLeaderChange(changes::add);
      watching.countDown();
    });
    awaitLatch(watching);
    awaitCondition("the listener heard the leader", () -> !changes.isEmpty());
    long term = changes.get(0).term();

    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocking = new CountDownLatch(1);
    leader.propose(add(1)).onComplete(result -> { // called from the test thread: answered on a worker
      blocking.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    awaitLatch(blocking);
    try {
      // While that callback holds its thread, writes from another context commit on a majority and apply on
      // followers: the Raft loop still replicates and heartbeats.
      Promise<Applied> writes = Promise.promise();
      watcher.runOnContext(v -> writeInTurn(leader, 20).onComplete(writes));
      long index = await(writes.future()).index();
      for (RaftNodeVerticle node : cluster.nodes.values()) {
        assertEquals(21, value(await(node.query(new byte[0], index, 10_000))));
      }
      assertEquals(List.of(new LeaderChange(leaderId, term, true)), changes, "the leader changed while blocked");
    } finally {
      release.countDown();
    }
  }

  private static Future<Applied> writeInTurn(RaftNode node, int count) {
    Future<Applied> last = node.propose(add(1));
    for (int i = 1; i < count; i++) last = last.compose(applied -> node.propose(add(1)));
    return last;
  }

  @Test
  void leaderListenersHearTheLeaderThenEachChangeOnTheirOwnContext() {
    Context registrant = cluster.vertx.getOrCreateContext();
    List<LeaderChange> heard = new CopyOnWriteArrayList<>();
    List<Boolean> onRegistrant = new CopyOnWriteArrayList<>();
    cluster.startAll();
    long leaderId = cluster.awaitLeader();
    RaftNodeVerticle leader = cluster.nodes.get(leaderId);
    RaftNodeVerticle follower = cluster.nodes.get(leaderId == 1 ? 2L : 1L);
    registrant.runOnContext(v -> follower.onLeaderChange(change -> {
      onRegistrant.add(io.vertx.core.Vertx.currentContext() == registrant);
      heard.add(change);
    }));
    awaitCondition("the listener heard the leader", () -> heard.stream().anyMatch(c -> c.leaderId() == leaderId));
    long newLeader = await(leader.transferLeadership(follower.nodeId()));
    assertEquals(follower.nodeId(), newLeader);
    awaitCondition("the listener heard itself become leader", () -> heard.stream().anyMatch(LeaderChange::thisNodeLeads));
    LeaderChange last = heard.get(heard.size() - 1);
    assertEquals(follower.nodeId(), last.leaderId());
    assertTrue(last.term() > heard.get(0).term());
    assertTrue(onRegistrant.stream().allMatch(b -> b), "a listener ran off its registrant's context");
  }

  @Test
  void membershipListenersHearTheBootstrapMembershipAndEveryChange() {
    cluster.startAll();
    long leaderId = cluster.awaitLeader();
    List<MembershipChange> heard = new CopyOnWriteArrayList<>();
    RaftNodeVerticle follower = cluster.nodes.get(leaderId == 1 ? 2L : 1L);
    follower.onMembershipChange(heard::add);
    awaitCondition("the current membership", () -> !heard.isEmpty());
    assertEquals(List.of(1L, 2L, 3L), heard.get(heard.size() - 1).voters());
    await(cluster.internals.get(leaderId).changeMembership(
        new MembershipCommand.AddLearner(4, new Node("127.0.0.1:1", "127.0.0.1:2")), 0));
    awaitCondition("the learner on the follower", () -> heard.get(heard.size() - 1).learners().equals(List.of(4L)));
    MembershipChange last = heard.get(heard.size() - 1);
    assertEquals(List.of(1L, 2L, 3L), last.voters());
    assertTrue(last.logIndex() > 0);
  }

  @Test
  void aQueryAtAnIndexOnAFollowerSeesTheWriteAtThatIndex() throws Exception {
    cluster.startAll();
    long leaderId = cluster.awaitLeader();
    RaftNodeVerticle follower = cluster.nodes.get(leaderId == 1 ? 2L : 1L);
    Applied written = await(cluster.nodes.get(leaderId).propose(add(41)));
    assertEquals(41, value(await(follower.query(new byte[0], written.index(), 10_000))));

    Throwable late = assertThrowsFrom(follower.query(new byte[0], written.index() + 1_000_000, 200));
    assertInstanceOf(TimeoutException.class, late);
  }

  private static Throwable assertThrowsFrom(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure, got a success");
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertTrue(latch.await(20, TimeUnit.SECONDS), "timed out");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
