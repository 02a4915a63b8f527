package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers without request ids, each value unique, keep writing through every node (followers forward to the
 * leader) while the test stops the leader's verticle again and again with writes in flight. A writer resends a
 * write only when its status says it was certainly not applied (README, "Errors"); a write of unknown outcome is
 * never sent again. Afterwards no value may have been applied at two log indexes: a status that called a write
 * "not applied" although it went on to commit would show as a value applied twice.
 */
@Timeout(180)
class WritesAcrossLeaderStopsTest {
  private static final Set<GrpcStatus> NOT_APPLIED = Set.of(GrpcStatus.UNAVAILABLE, GrpcStatus.FAILED_PRECONDITION,
      GrpcStatus.INVALID_ARGUMENT, GrpcStatus.RESOURCE_EXHAUSTED);
  private static final int WRITERS = 12;
  private static final int ROUNDS = 3;

  @TempDir
  Path dataDirs;

  private volatile boolean writing = true;
  private final AtomicInteger acknowledged = new AtomicInteger();
  private final AtomicInteger resent = new AtomicInteger();
  private final AtomicInteger unknown = new AtomicInteger();

  @Test
  void aWriteReportedNotAppliedNeverApplies() throws Exception {
    AppliedWrites applied = new AppliedWrites();
    try (TestCluster cluster = new TestCluster(dataDirs, 3).withStateMachines(applied::recording)) {
      cluster.startAll();
      cluster.awaitLeader();
      GrpcClient grpc = GrpcClient.client(cluster.vertx, cluster.clientPortOptions());
      List<SocketAddress> addresses = new ArrayList<>();
      for (long id : cluster.ids()) {
        var address = cluster.config(id).clientAddress();
        addresses.add(SocketAddress.inetSocketAddress(address.port(), address.host()));
      }
      List<Promise<Void>> done = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        Promise<Void> finished = Promise.promise();
        done.add(finished);
        int writer = w;
        Random random = new Random(w);
        cluster.vertx.runOnContext(v -> write(cluster.vertx, grpc, addresses, random, writer, 0, 1, finished));
      }
      for (int round = 1; round <= ROUNDS; round++) {
        int before = acknowledged.get();
        TestCluster.awaitCondition("writes acknowledged before stopping the leader", () -> acknowledged.get() >= before + 200);
        long leader = cluster.awaitLeader();
        cluster.stop(leader);
        cluster.awaitLeader();
        cluster.start(leader);
      }
      int before = acknowledged.get();
      TestCluster.awaitCondition("writes acknowledged after the last stop", () -> acknowledged.get() >= before + 200);
      writing = false;
      for (Promise<Void> finished : done) TestCluster.await(finished.future());
      awaitAllApplied(cluster);

      Map<String, Set<Long>> twice = applied.appliedMoreThanOnce();
      System.out.println("writes: " + acknowledged.get() + " acknowledged, " + resent.get() + " resent as not applied, "
          + unknown.get() + " of unknown outcome, " + applied.distinctValues() + " values applied");
      assertEquals(Map.of(), twice, "values applied at more than one index (reported not applied, yet committed)");
      assertTrue(applied.distinctValues() >= acknowledged.get(), "every acknowledged write applied");
    }
  }

  /** One writer: write n of this writer, attempt {@code attempt}; then the next write, until told to stop. */
  private void write(Vertx vertx, GrpcClient grpc, List<SocketAddress> nodes, Random random, int writer, int n, int attempt,
      Promise<Void> finished) {
    if (!writing) {
      finished.complete();
      return;
    }
    String value = "w" + writer + "-" + n;
    PutRequest put = PutRequest.newBuilder().setKey(KvTestClient.utf8("key-" + value)).setValue(KvTestClient.utf8(value)).build();
    SocketAddress node = nodes.get(random.nextInt(nodes.size()));
    GrpcCalls.unary(grpc, node, KvServiceGrpcClient.Put, put, 5_000).onComplete((ok, err) -> {
      if (err == null) {
        acknowledged.incrementAndGet();
        write(vertx, grpc, nodes, random, writer, n + 1, 1, finished);
      } else if (certainlyNotApplied(err) && attempt < 200) {
        resent.incrementAndGet();
        vertx.setTimer(20, id -> write(vertx, grpc, nodes, random, writer, n, attempt + 1, finished));
      } else {
        unknown.incrementAndGet();
        write(vertx, grpc, nodes, random, writer, n + 1, 1, finished);
      }
    });
  }

  /** README's rule for a client: these statuses, or a connection that could not be made, mean "not applied". */
  private static boolean certainlyNotApplied(Throwable err) {
    if (err instanceof RemoteCallException remote) return NOT_APPLIED.contains(remote.status());
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) return true;
    }
    return false;
  }

  private static void awaitAllApplied(TestCluster cluster) {
    TestCluster.awaitCondition("every node has applied the whole log", () -> {
      long last = -1;
      for (long id : cluster.ids()) {
        StatusResponse s = cluster.client(id).status();
        if (s == null || s.getAppliedIndex() != s.getLastLogIndex() || s.getCommitIndex() != s.getLastLogIndex()) return false;
        if (last >= 0 && last != s.getLastLogIndex()) return false;
        last = s.getLastLogIndex();
      }
      return true;
    });
  }
}
