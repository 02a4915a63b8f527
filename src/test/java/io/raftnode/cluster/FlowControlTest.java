package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftnode.HostAndPort;
import io.raftnode.NodeConfig;
import io.raftnode.RaftNodeVerticle;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.kv.KvStateMachine;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.ReadIndexRequest;
import io.raftnode.internal.model.ReadIndexResponse;
import io.raftnode.internal.model.TransferLeaderRequest;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import io.raftnode.internal.service.AdminApi;
import io.raftnode.internal.service.ClientFailure;
import io.raftnode.internal.service.KvApi;
import io.raftnode.internal.transport.RaftInbox;
import io.raftnode.internal.transport.RaftServiceEndpoint;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.internal.transport.StreamAppendEndpoint;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.KvSessionServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.PutResponse;
import io.raftnode.proto.SessionAnswer;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.raftnode.proto.SessionResponse;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow control on a leader whose only follower takes no entries until the test lets it (a peer stub that answers
 * every append at once, but while closed acknowledges none of the entries): nothing commits, so the leader's bytes
 * for writes not yet applied grow to limits.max_pending_proposal_bytes and never past it. Writes past the bound are
 * refused with RESOURCE_EXHAUSTED, raftnode-error not-applied and a retry hint, and change nothing; a session
 * whose calls are refused stops reading (its client's writes back up) and serves every call once the follower
 * catches up; afterwards the accounting is back at zero.
 */
@Timeout(120)
class FlowControlTest {
  private static final long BOUND = 1 << 20;
  private static final int VALUE_BYTES = 60 * 1024;
  private static final int UNARY_WRITES = 40;

  @TempDir Path dataDir;

  /**
   * Grants every vote and answers every append at once, so the leader keeps its quorum contact and no call times
   * out; while closed it takes no entries (it answers that it holds only what it held before the request), so
   * nothing commits.
   */
  private static final class GatedFollower implements RaftInbox {
    private volatile boolean open;
    private Vote vote = Vote.INITIAL;

    @Override
    public synchronized Future<VoteResponse> onVote(VoteRequest request) {
      if (!request.preVote()) vote = request.vote();
      return Future.succeededFuture(new VoteResponse(vote, true, null));
    }

    /** The last entry it holds while closed: the one before the first entries it was sent. */
    private io.raftnode.internal.model.LogId held;

    @Override
    public synchronized Future<AppendEntriesResponse> onAppendEntries(AppendEntriesRequest request) {
      if (open || request.entries().isEmpty()) return Future.succeededFuture(AppendEntriesResponse.Success.INSTANCE);
      if (held == null) held = request.prevLogId();
      return Future.succeededFuture(new AppendEntriesResponse.PartialSuccess(held));
    }

    void open() {
      open = true;
    }

    @Override
    public Future<Void> onTransferLeader(TransferLeaderRequest request) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<ReadIndexResponse> onReadIndex(ReadIndexRequest request) {
      return Future.failedFuture("not used");
    }

    @Override
    public Membership currentMembership() {
      return Membership.empty();
    }
  }

  @Test
  void writesPastTheBoundAreRefusedSessionsPauseAndEverythingDrainsToZero() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      GatedFollower follower = new GatedFollower();
      // A node's peer port takes messages of up to 16 MiB, as the leader's larger appends (entries batched while
      // the machine is busy) need.
      GrpcRoutes grpc = new GrpcRoutes(16L << 20, null);
      RaftServiceEndpoint.bind(grpc, follower);
      StreamAppendEndpoint.bind(grpc, follower);
      HttpServer followerServer = TestCluster.await(vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1"));
      List<Integer> ports = io.raftnode.testing.FreePorts.of(3);
      TreeMap<Long, NodeConfig.Member> members = new TreeMap<>();
      HostAndPort leaderClient = new HostAndPort("127.0.0.1", ports.get(1));
      HostAndPort metrics = new HostAndPort("127.0.0.1", ports.get(2));
      members.put(1L, new NodeConfig.Member("127.0.0.1:" + ports.get(0), leaderClient.toString()));
      members.put(2L, new NodeConfig.Member("127.0.0.1:" + followerServer.actualPort(), "127.0.0.1:1"));
      NodeConfig config = new NodeConfig(1, HostAndPort.parse(members.get(1L).peerAddress()), leaderClient, dataDir,
          members, new NodeConfig.Tls(false, null, null, null), new NodeConfig.ClientTls(false, false, null, null, null),
          // Unary AppendEntries: the stub's partial answers do not end a stream and make the leader reopen it.
          // Election timeouts of seconds: on a loaded machine a loop stalled past 300 ms behind megabytes of writes
          // would lose the leader its quorum contact, and a new term fails the writes this test counts.
          new NodeConfig.RaftTimings(100, 2000, 3000), new NodeConfig.Replication(false, 16, 1 << 20, 4, 64L << 20),
          NodeConfig.Snapshots.DEFAULTS, new NodeConfig.Membership(1000, 100), // the stub never probes as a founder
          new NodeConfig.Limits(64, 64 * 1024, BOUND, BOUND), new NodeConfig.Operations(metrics, 1000, null, false));
      TestCluster.await(vertx.deployVerticle(new RaftNodeVerticle(config, new KvStateMachine(), new KvApi(), new AdminApi())));
      HttpClientOptions h2 = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
      try (KvTestClient client = new KvTestClient(vertx, leaderClient, h2)) {
        TestCluster.awaitCondition("node 1 to lead", () -> {
          StatusResponse status = client.status();
          return status != null && status.getRole().equals("leader");
        });
        StatusResponse before = statusOf(client);
        long logBefore = before.getLastLogIndex();

        List<Future<PutResponse>> writes = new ArrayList<>();
        for (int i = 0; i < UNARY_WRITES; i++) writes.add(client.put("k" + i, value(i)));
        TestCluster.awaitCondition("every write appended or refused", () -> {
          StatusResponse s = client.status();
          return s != null && failed(writes).size() + s.getLastLogIndex() - logBefore == UNARY_WRITES;
        });
        List<Integer> refused = failed(writes);
        assertFalse(refused.isEmpty(), "the writes need more than the bound");
        for (int i : refused) assertRefusedByFlowControl(writes.get(i));
        StatusResponse full = statusOf(client);
        assertEquals(before.getTerm(), full.getTerm(), "one leader throughout: a new term fails writes");
        assertEquals(BOUND, full.getMaxPendingProposalBytes());
        assertEquals(BOUND, full.getMaxPendingAppendBytes());
        assertTrue(full.getPendingProposalBytes() <= BOUND, "held " + full.getPendingProposalBytes());
        assertTrue(full.getPendingProposalBytes() > BOUND - VALUE_BYTES - 1024,
            "the accepted writes filled the bound: " + full.getPendingProposalBytes());
        for (Future<PutResponse> w : writes) assertFalse(w.succeeded(), "nothing committed while the follower held back");
        assertEquals(refused.size(),
            MetricsScrape.of(metrics).get("raftnode_proposals_refused_total{reason=\"pending_bytes\"}"));
        assertEquals(full.getPendingProposalBytes(), MetricsScrape.of(metrics).get("raftnode_proposal_bytes_pending"));

        PausedSession session = new PausedSession(vertx, leaderClient, h2);
        int sent = session.writeUntilBackedUp(400);
        assertTrue(sent < 400, "the session stopped reading: its client's writes backed up after " + sent + " calls");
        // Twenty round trips through the client port's event loop, which serves the session as well: a session
        // that went on reading would have taken (and refused) more of the calls waiting on its stream meanwhile.
        for (int i = 0; i < 20; i++) statusOf(client);
        assertEquals(1, session.answers.size(), "a paused session reads no further calls: answered "
            + session.answers.size() + " of " + sent);
        session.answers.values().forEach(a -> {
          assertEquals(GrpcStatus.RESOURCE_EXHAUSTED.code, a.getError().getCode(), a.toString());
          assertEquals("not-applied", a.getError().getReason());
          assertTrue(a.getError().getRetryAfterMs() > 0, a.toString());
        });
        assertEquals(full.getLastLogIndex(), statusOf(client).getLastLogIndex(), "refused calls reached no log");

        follower.open();
        for (int i = 0; i < UNARY_WRITES; i++) {
          if (!refused.contains(i)) assertTrue(TestCluster.await(writes.get(i)).getRevision() > 0);
        }
        session.finish();
        TestCluster.awaitCondition("every session call answered", () -> session.answers.size() == sent);
        long served = session.answers.values().stream().filter(a -> !a.hasError()).count();
        assertTrue(served > 0, "once the follower caught up the session's calls were served: " + session.answers.values().stream()
            .map(a -> a.getError().getCode() + " " + a.getError().getMessage()).distinct().toList()
            + "; the leader's status: " + statusOf(client));
        assertEquals(before.getTerm(), statusOf(client).getTerm(), "one leader throughout: a new term fails writes");
        TestCluster.awaitCondition("the held bytes back at zero", () -> {
          StatusResponse s = client.status();
          return s != null && s.getPendingProposalBytes() == 0 && s.getAppendBufferBytes() == 0;
        });
        for (int i : refused) {
          assertFalse(TestCluster.await(client.get("k" + i, Consistency.STALE)).getFound(), "refused write " + i);
        }
        session.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The node's status; a Status call can miss its short deadline behind megabytes of writes, so it is asked again. */
  private static StatusResponse statusOf(KvTestClient client) {
    StatusResponse[] answer = new StatusResponse[1];
    TestCluster.awaitCondition("a status answer", () -> (answer[0] = client.status()) != null);
    return answer[0];
  }

  private static void assertRefusedByFlowControl(Future<?> write) {
    RemoteCallException e = TestCluster.remoteFailure(write);
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, e.status(), e.getMessage());
    assertEquals("not-applied", e.metadata(ClientFailure.REASON));
    assertTrue(Long.parseLong(e.metadata(ClientFailure.RETRY_AFTER_MS)) > 0, "retry hint");
  }

  private static List<Integer> failed(List<Future<PutResponse>> writes) {
    List<Integer> failed = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      if (writes.get(i).failed()) failed.add(i);
    }
    return failed;
  }

  private static String value(int i) {
    return String.valueOf((char) ('a' + i % 26)).repeat(VALUE_BYTES);
  }

  /** A session whose client writes one Put a message, as fast as its stream takes them, without waiting for answers. */
  private static final class PausedSession {
    final Map<Long, SessionAnswer> answers = new ConcurrentHashMap<>();
    private final GrpcClient grpc;
    private final GrpcClientRequest<SessionRequest, SessionResponse> stream;
    private final AtomicInteger messages = new AtomicInteger();

    PausedSession(Vertx vertx, HostAndPort address, HttpClientOptions options) {
      grpc = GrpcClient.client(vertx, options);
      stream = TestCluster.await(grpc.request(SocketAddress.inetSocketAddress(address.port(), address.host()),
          KvSessionServiceGrpcClient.Session));
      stream.response().onSuccess(response -> response.handler(message -> {
        messages.incrementAndGet();
        message.getAnswersList().forEach(a -> answers.put(a.getCallId(), a));
      }));
    }

    /** Writes calls until the stream's write queue is full (or {@code max} calls); returns how many it wrote. */
    int writeUntilBackedUp(int max) {
      int sent = 0;
      while (sent < max) {
        if (stream.writeQueueFull()) return sent;
        sent++;
        PutRequest put = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("s" + sent))
            .setValue(ByteString.copyFromUtf8(value(sent))).build();
        stream.write(SessionRequest.newBuilder().addCalls(SessionCall.newBuilder().setCallId(sent).setPut(put)).build());
        if (sent == 1) {
          // The first call is read: wait until it was refused, so the rest meet a paused session.
          TestCluster.awaitCondition("the first session call refused", () -> answers.containsKey(1L));
        }
      }
      return sent;
    }

    void finish() {
      stream.end();
    }

    void close() {
      grpc.close();
    }
  }
}
