package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.proto.PutResponse;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A peer port under abuse: oversized messages and a flood of garbage from one connection. */
@Timeout(120)
class PeerFloodTest {
  /** PeerTransportOptions.MAX_MESSAGE_BYTES: the largest message a node accepts. */
  private static final int LIMIT = 16 << 20;

  @TempDir
  Path dataDirs;

  @Test
  void aMessageOverTheLimitIsResourceExhaustedAndTheNodeKeepsServing() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long target = leader == 1 ? 2 : 1;
      StatusResponse before = cluster.client(target).status();
      try (PeerCalls calls = new PeerCalls(cluster.vertx, cluster.config(target).peerAddress(), PeerCalls.plaintext())) {
        byte[] huge = new byte[LIMIT + 1];
        assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, PeerCalls.status(calls.append(huge)));
        assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, PeerCalls.status(calls.vote(huge)));
        // The same connection still works for a message within the limit.
        assertEquals(GrpcStatus.INVALID_ARGUMENT, PeerCalls.status(calls.vote(new byte[] {(byte) 0xc1})));
      }
      StatusResponse after = cluster.client(target).status();
      assertEquals(before.getTerm(), after.getTerm(), "term unchanged");
      assertEquals(before.getLastLogIndex(), after.getLastLogIndex(), "log unchanged");
      assertTrue(await(cluster.client(target).put("k", "v")).getRevision() > 0, "the node keeps serving");
    }
  }

  @Test
  void aFloodOfGarbageFromOneConnectionDoesNotStopAWellBehavedClient() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long target = leader == 1 ? 2 : 1;
      StatusResponse before = cluster.client(target).status();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger other = new AtomicInteger();
      AtomicLong stopAt = new AtomicLong(System.currentTimeMillis() + 60_000);
      List<Future<Void>> flooders = new ArrayList<>();
      try (PeerCalls calls = new PeerCalls(cluster.vertx, cluster.config(target).peerAddress(), PeerCalls.plaintext())) {
        Random random = new Random(7);
        // 400 concurrent streams on one connection, each sending garbage again as soon as it is answered.
        for (int i = 0; i < 400; i++) {
          byte[] garbage = new byte[1 + random.nextInt(2000)];
          random.nextBytes(garbage);
          flooders.add(flood(calls, garbage, i % 2 == 0, stopAt, refused, other));
        }
        // Meanwhile a client writes through the flooded node (a follower: every write is forwarded to the leader
        // and replicated back through the same peer port).
        long started = System.currentTimeMillis();
        for (int i = 0; i < 50; i++) {
          PutResponse put = await(cluster.client(target).put("during-flood-" + i, "v" + i));
          assertTrue(put.getRevision() > 0);
        }
        long tookMs = System.currentTimeMillis() - started;
        stopAt.set(0);
        await(Future.all(flooders));
        assertTrue(refused.get() > 400, "the flood was answered, " + refused.get() + " refusals");
        assertEquals(0, other.get(), "every garbage call was refused with INVALID_ARGUMENT");
        assertTrue(tookMs < 30_000, "50 writes took " + tookMs + " ms during the flood");
      }
      StatusResponse after = cluster.client(target).status();
      assertEquals(before.getTerm(), after.getTerm(), "the flood did not disturb the term");
      assertEquals(leader, after.getLeaderId(), "nor the leader");
    }
  }

  /** Sends {@code garbage} again and again until {@code stopAt}; counts the answers by status. */
  private static Future<Void> flood(PeerCalls calls, byte[] garbage, boolean vote, AtomicLong stopAt,
      AtomicInteger refused, AtomicInteger other) {
    Promise<Void> done = Promise.promise();
    floodOnce(calls, garbage, vote, stopAt, refused, other, done);
    return done.future();
  }

  private static void floodOnce(PeerCalls calls, byte[] garbage, boolean vote, AtomicLong stopAt,
      AtomicInteger refused, AtomicInteger other, Promise<Void> done) {
    if (System.currentTimeMillis() > stopAt.get()) {
      done.complete();
      return;
    }
    Future<RaftPayload> call = vote ? calls.vote(garbage) : calls.append(garbage);
    call.onComplete((ok, err) -> {
      if (err instanceof io.raftnode.internal.transport.RemoteCallException remote
          && remote.status() == GrpcStatus.INVALID_ARGUMENT) {
        refused.incrementAndGet();
      } else {
        other.incrementAndGet();
      }
      floodOnce(calls, garbage, vote, stopAt, refused, other, done);
    });
  }
}
