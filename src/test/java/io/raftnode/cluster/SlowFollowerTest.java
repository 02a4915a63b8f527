package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.HostAndPort;
import io.raftnode.NodeConfig;
import io.raftnode.RaftNodeVerticle;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.kv.KvStateMachine;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import io.raftnode.internal.service.AdminApi;
import io.raftnode.internal.service.KvApi;
import io.raftnode.internal.transport.RaftInbox;
import io.raftnode.internal.transport.RaftServiceEndpoint;
import io.raftnode.internal.transport.StreamAppendEndpoint;
import io.raftnode.proto.PutResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader whose only follower acknowledges slowly: however many writes wait, the leader never has more
 * AppendEntries carrying entries outstanding to it than its window, so its memory for that follower is bounded by
 * the window times the batch size.
 */
@Timeout(120)
class SlowFollowerTest {
  private static final int WINDOW = 4;
  private static final long ACK_DELAY_MS = 200;

  @TempDir
  Path dataDir;

  /** Grants every vote and acknowledges every append, each after a delay; tracks how many are outstanding. */
  private static final class SlowFollower implements RaftInbox {
    final Vertx vertx;
    final AtomicInteger outstanding = new AtomicInteger();
    final AtomicInteger maxOutstanding = new AtomicInteger();
    final AtomicInteger appends = new AtomicInteger();

    SlowFollower(Vertx vertx) {
      this.vertx = vertx;
    }

    @Override
    public Future<Void> onTransferLeader(io.raftnode.internal.model.TransferLeaderRequest request) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<io.raftnode.internal.model.ReadIndexResponse> onReadIndex(io.raftnode.internal.model.ReadIndexRequest request) {
      return Future.failedFuture("not used");
    }

    private io.raftnode.internal.model.Vote vote = io.raftnode.internal.model.Vote.INITIAL;

    /** Grants pre-votes without changing its own vote, and real votes by adopting the candidate's. */
    @Override
    public Future<VoteResponse> onVote(VoteRequest request) {
      if (!request.preVote()) vote = request.vote();
      return Future.succeededFuture(new VoteResponse(vote, true, null));
    }

    @Override
    public Future<AppendEntriesResponse> onAppendEntries(AppendEntriesRequest request) {
      // Heartbeats (no entries) are outside the window: they are bounded by time, not by the pipeline.
      boolean carriesEntries = !request.entries().isEmpty();
      if (carriesEntries) {
        appends.incrementAndGet();
        maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
      }
      Promise<AppendEntriesResponse> answer = Promise.promise();
      vertx.setTimer(ACK_DELAY_MS, id -> {
        if (carriesEntries) outstanding.decrementAndGet();
        answer.complete(AppendEntriesResponse.Success.INSTANCE);
      });
      return answer.future();
    }

    @Override
    public Membership currentMembership() {
      return Membership.empty();
    }
  }

  @Test
  void outstandingAppendsStayWithinTheWindow() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      SlowFollower follower = new SlowFollower(vertx);
      // A node's peer port takes messages of up to 16 MiB, as the leader's larger appends (entries batched while
      // the machine is busy) need.
      GrpcRoutes grpc = new GrpcRoutes(16L << 20, null);
      RaftServiceEndpoint.bind(grpc, follower);
      StreamAppendEndpoint.bind(grpc, follower);
      HttpServer followerServer = await(vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1"));

      TreeMap<Long, NodeConfig.Member> members = new TreeMap<>();
      String leaderPeer = "127.0.0.1:" + freePort();
      HostAndPort leaderClient = new HostAndPort("127.0.0.1", freePort());
      members.put(1L, new NodeConfig.Member(leaderPeer, leaderClient.toString()));
      members.put(2L, new NodeConfig.Member("127.0.0.1:" + followerServer.actualPort(), "127.0.0.1:" + freePort()));
      NodeConfig config = new NodeConfig(1, HostAndPort.parse(leaderPeer), leaderClient, dataDir, members,
          new NodeConfig.Tls(false, null, null, null), new NodeConfig.ClientTls(false, false, null, null, null),
          new NodeConfig.RaftTimings(50, 150, 300))
          .withReplication(new NodeConfig.Replication(true, 16, 1 << 20, WINDOW, 64L << 20));
      await(vertx.deployVerticle(new RaftNodeVerticle(config, new KvStateMachine(), new KvApi(), new AdminApi())));

      try (KvTestClient client = new KvTestClient(vertx, leaderClient,
          new io.vertx.core.http.HttpClientOptions().setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))) {
        TestCluster.awaitCondition("node 1 to lead", () -> {
          var status = client.status();
          return status != null && status.getRole().equals("leader");
        });
        List<Future<PutResponse>> writes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) writes.add(client.put("k" + i, "v" + i));
        await(Future.all(writes));
        for (Future<PutResponse> w : writes) assertTrue(w.result().getRevision() > 0);
      }

      assertTrue(follower.appends.get() > 2 * WINDOW, "the load needed many appends: " + follower.appends.get());
      assertTrue(follower.maxOutstanding.get() <= WINDOW,
          "at most " + WINDOW + " appends with entries outstanding, saw " + follower.maxOutstanding.get());
      assertEquals(WINDOW, follower.maxOutstanding.get(), "the pipeline filled its window");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
