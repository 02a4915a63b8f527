package io.raftnode.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.HostAndPort;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.model.AppendEntriesRequest;
import io.raftnode.internal.model.AppendEntriesResponse;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.internal.model.VoteResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.client.GrpcClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The StreamAppend path between a PeerClient and a real gRPC server with a scripted follower behind it. */
@Timeout(60)
class StreamAppendTransportTest {
  private final Vertx vertx = Vertx.vertx();

  /** A follower that records how each request arrived and answers after a random delay, out of order. */
  private final class ScriptedFollower implements RaftInbox {
    final List<Long> received = new CopyOnWriteArrayList<>();
    final Random random = new Random(7);
    volatile long conflictAt = -1;

    @Override
    public io.raftnode.internal.model.Membership currentMembership() {
      return io.raftnode.internal.model.Membership.empty();
    }

    @Override
    public Future<Void> onTransferLeader(io.raftnode.internal.model.TransferLeaderRequest request) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<io.raftnode.internal.model.ReadIndexResponse> onReadIndex(io.raftnode.internal.model.ReadIndexRequest request) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<VoteResponse> onVote(VoteRequest request) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<AppendEntriesResponse> onAppendEntries(AppendEntriesRequest request) {
      long last = LogId.indexOf(request.lastLogId());
      received.add(last);
      Promise<AppendEntriesResponse> answer = Promise.promise();
      AppendEntriesResponse response = last == conflictAt
          ? new AppendEntriesResponse.Conflict(LogId.of(1, 1, 3))
          : AppendEntriesResponse.Success.INSTANCE;
      vertx.setTimer(1 + random.nextInt(5), id -> answer.complete(response));
      return answer.future();
    }
  }

  private HttpServer server;

  private HostAndPort serve(ScriptedFollower follower, boolean offerStream) throws Exception {
    GrpcRoutes grpc = new GrpcRoutes(16L << 20, null);
    RaftServiceEndpoint.bind(grpc, follower);
    if (offerStream) StreamAppendEndpoint.bind(grpc, follower);
    server = vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new HostAndPort("127.0.0.1", server.actualPort());
  }

  private PeerClient client(HostAndPort address) {
    GrpcClient grpc = GrpcClient.client(vertx,
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    return new PeerClient(vertx, grpc, address, 2000, true, new AppendEncodings());
  }

  private static AppendEntriesRequest request(long prevIndex, int count) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      entries.add(new Entry(LogId.of(1, 1, prevIndex + i), new EntryPayload.Normal(new byte[] {(byte) i})));
    }
    LogId prev = prevIndex == 0 ? null : LogId.of(1, 1, prevIndex);
    return new AppendEntriesRequest(Vote.of(1, 1, true), prev, entries, null);
  }

  /** Sends batches of 10 entries from index 1 on the event loop; returns each batch's answer in send order. */
  private List<Future<AppendEntriesResponse>> sendBatches(PeerClient client, int batches) throws Exception {
    Promise<List<Future<AppendEntriesResponse>>> sent = Promise.promise();
    vertx.runOnContext(v -> {
      List<Future<AppendEntriesResponse>> answers = new ArrayList<>();
      for (int b = 0; b < batches; b++) answers.add(client.appendEntries(request(b * 10L, 10)));
      sent.complete(answers);
    });
    return sent.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> List<T> settle(List<Future<T>> futures) throws Exception {
    Future.join(new ArrayList<>(futures)).toCompletionStage().toCompletableFuture().handle((r, e) -> null)
        .get(30, TimeUnit.SECONDS);
    List<T> out = new ArrayList<>();
    for (Future<T> f : futures) out.add(f.succeeded() ? f.result() : null);
    return out;
  }

  @Test
  void answersArriveInRequestOrderEvenWhenTheFollowerFinishesOutOfOrder() throws Exception {
    ScriptedFollower follower = new ScriptedFollower();
    PeerClient client = client(serve(follower, true));
    List<AppendEntriesResponse> answers = settle(sendBatches(client, 200));
    for (AppendEntriesResponse answer : answers) assertInstanceOf(AppendEntriesResponse.Success.class, answer);
    List<Long> expected = new ArrayList<>();
    for (int b = 1; b <= 200; b++) expected.add(b * 10L);
    assertEquals(expected, follower.received, "every request reached the follower once, in order, with no gaps");
  }

  @Test
  void aConflictEndsTheStreamAndLaterRequestsFailThenANewStreamOpens() throws Exception {
    ScriptedFollower follower = new ScriptedFollower();
    follower.conflictAt = 50;
    PeerClient client = client(serve(follower, true));
    List<AppendEntriesResponse> answers = settle(sendBatches(client, 10));
    for (int i = 0; i < 4; i++) assertInstanceOf(AppendEntriesResponse.Success.class, answers.get(i));
    AppendEntriesResponse conflict = answers.get(4);
    assertInstanceOf(AppendEntriesResponse.Conflict.class, conflict);
    assertEquals(LogId.of(1, 1, 3), ((AppendEntriesResponse.Conflict) conflict).hint());
    for (int i = 5; i < 10; i++) assertEquals(null, answers.get(i), "requests behind the conflict fail");

    follower.conflictAt = -1;
    TestWait.until(() -> {
      List<AppendEntriesResponse> retry = settle(sendBatches(client, 3));
      return retry.stream().allMatch(a -> a instanceof AppendEntriesResponse.Success);
    });
  }

  @Test
  void aFollowerThatDoesNotOfferTheStreamIsServedByUnaryAppendEntries() throws Exception {
    ScriptedFollower follower = new ScriptedFollower();
    PeerClient client = client(serve(follower, false));
    settle(sendBatches(client, 1)); // the stream attempt is refused (UNIMPLEMENTED) and fails this request
    List<AppendEntriesResponse> answers = settle(sendBatches(client, 20));
    for (AppendEntriesResponse answer : answers) assertInstanceOf(AppendEntriesResponse.Success.class, answer);
    assertTrue(follower.received.size() >= 20, "the follower got the requests over unary calls");
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Polls a condition that may need a few attempts (a stream reopening after its backoff). */
  static final class TestWait {
    interface Check {
      boolean ok() throws Exception;
    }

    static void until(Check check) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!check.ok()) {
        if (System.nanoTime() > deadline) throw new AssertionError("condition not reached in 20 s");
        Thread.sleep(50);
      }
    }
  }

}
