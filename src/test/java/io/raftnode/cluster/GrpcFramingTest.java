package io.raftnode.cluster;

import static io.raftnode.cluster.RawHttp2Client.message;
import static io.raftnode.cluster.RawHttp2Client.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.netty.handler.ssl.SslContext;
import io.raftnode.HostAndPort;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.model.VoteRequest;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetRequest;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.SessionCall;
import io.raftnode.proto.SessionRequest;
import io.raftnode.proto.StatusResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC framing a client gets wrong, sent as raw HTTP/2 frames to every kind of method on both ports (unary,
 * client streaming, bidirectional): each stream is answered with the status the gRPC protocol prescribes within a
 * bounded time, the server closes the stream, nothing changes on the node, and the same connection keeps serving.
 */
@Timeout(120)
class GrpcFramingTest {
  /** How long a stream may wait for its status: far more than an answer takes, far less than a client gives up. */
  private static final long ANSWER_MS = 5000;
  private static final List<String> PEER_METHODS = List.of(
      "/raftnode.v1.RaftService/Vote", "/raftnode.v1.RaftService/StreamAppend", "/raftnode.v1.RaftService/Snapshot");
  private static final List<String> CLIENT_METHODS = List.of(
      "/raftnode.v1.KvService/Put", "/raftnode.v1.KvSessionService/Session", "/raftnode.v1.AdminService/Status");
  private static final byte[] SMALL = {0x0a, 0x01, 'k'};
  private static final Map<String, String> NO_HEADERS = Map.of();

  @TempDir
  Path dataDirs;

  /** One malformed request: its extra headers, the DATA frames in order (END_STREAM on the last if asked). */
  private record Case(String name, Map<String, String> headers, List<byte[]> frames, boolean endStream,
      GrpcStatus expected) {}

  private static Case internal(String name, Map<String, String> headers, boolean endStream, byte[]... frames) {
    return new Case(name, headers, List.of(frames), endStream, GrpcStatus.INTERNAL);
  }

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    byte[] compressed = message(1, SMALL);
    cases.add(internal("compressed flag without grpc-encoding", NO_HEADERS, false, compressed));
    cases.add(internal("compressed flag without grpc-encoding, then END_STREAM", NO_HEADERS, true, compressed));
    cases.add(internal("compressed flag with grpc-encoding identity", Map.of("grpc-encoding", "identity"), false,
        compressed));
    cases.add(internal("reserved flag bits", NO_HEADERS, false, message(2, SMALL)));
    cases.add(new Case("compressed with grpc-encoding snappy", Map.of("grpc-encoding", "snappy"), List.of(compressed),
        false, GrpcStatus.UNIMPLEMENTED));
    cases.add(new Case("compressed with grpc-encoding gzip", Map.of("grpc-encoding", "gzip"), List.of(compressed),
        true, GrpcStatus.UNIMPLEMENTED));
    for (int n = 1; n <= 4; n++) {
      cases.add(internal("END_STREAM after " + n + " prefix bytes", NO_HEADERS, true,
          Arrays.copyOf(prefix(0, SMALL.length), n)));
    }
    byte[] shortMessage = ByteBuffer.allocate(15).put(prefix(0, 100)).put(new byte[10]).array();
    cases.add(internal("END_STREAM after 10 of 100 announced bytes", NO_HEADERS, true, shortMessage));
    cases.add(internal("END_STREAM with the prefix split over two frames", NO_HEADERS, true,
        Arrays.copyOf(prefix(0, 100), 2), new byte[] {0, 0}));
    cases.add(new Case("deadline passes before any data", Map.of("grpc-timeout", "300m"), List.of(), false,
        GrpcStatus.DEADLINE_EXCEEDED));
    return cases;
  }

  @Test
  void everyMalformedStreamOnThePeerPortGetsItsStatusAndIsClosed() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 1)) {
      cluster.start(1);
      cluster.awaitLeader();
      StatusResponse before = cluster.client(1).status();
      try (RawHttp2Client raw = new RawHttp2Client(cluster.config(1).peerAddress())) {
        assertEachCaseAnswered(raw, PEER_METHODS);
        assertServes(raw, PEER_METHODS.get(0), NO_HEADERS, preVote(before.getTerm()),
            "a pre-vote after the bad streams");
      }
      assertUnchanged(before, cluster.client(1).status());
    }
  }

  @Test
  void everyMalformedStreamOnTheClientPortGetsItsStatusAndIsClosed() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 1)) {
      cluster.start(1);
      cluster.awaitLeader();
      StatusResponse before = cluster.client(1).status();
      try (RawHttp2Client raw = new RawHttp2Client(cluster.config(1).clientAddress())) {
        assertEachCaseAnswered(raw, CLIENT_METHODS);
        assertServes(raw, CLIENT_METHODS.get(2), NO_HEADERS, new byte[0], "a Status call after the bad streams");
        assertServes(raw, CLIENT_METHODS.get(2), Map.of("grpc-encoding", "gzip"), new byte[0],
            "an uncompressed Status call that names grpc-encoding gzip");
      }
      assertUnchanged(before, cluster.client(1).status());
    }
  }

  @Test
  void overMutualTlsThePeerPortAnswersTheSame() throws Exception {
    Path certs = TestCerts.cluster(dataDirs.resolve("tls"), 1);
    try (TestCluster cluster = new TestCluster(dataDirs.resolve("data"), 1, certs, false)) {
      cluster.start(1);
      cluster.awaitLeader();
      StatusResponse before = cluster.client(1).status();
      SslContext tls = RawHttp2Client.mutualTls(certs.resolve("node1.crt"), certs.resolve("node1.key"),
          certs.resolve("ca.crt"));
      try (RawHttp2Client raw = new RawHttp2Client(cluster.config(1).peerAddress(), tls)) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("Vote, compressed flag without grpc-encoding",
            raw.call(PEER_METHODS.get(0), NO_HEADERS).send(message(1, SMALL), true), GrpcStatus.INTERNAL));
        checks.add(new Check("StreamAppend, END_STREAM after 3 prefix bytes",
            raw.call(PEER_METHODS.get(1), NO_HEADERS).send(Arrays.copyOf(prefix(0, 9), 3), true),
            GrpcStatus.INTERNAL));
        checks.add(new Check("Snapshot, deadline passes before any data",
            raw.call(PEER_METHODS.get(2), Map.of("grpc-timeout", "300m")), GrpcStatus.DEADLINE_EXCEEDED));
        assertAll(checks);
        assertServes(raw, PEER_METHODS.get(0), NO_HEADERS, preVote(before.getTerm()), "a pre-vote over TLS");
      }
      assertUnchanged(before, cluster.client(1).status());
    }
  }

  @Test
  void aUnaryCallWithoutItsRequestOrWithTwoIsInternal() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 1)) {
      cluster.start(1);
      cluster.awaitLeader();
      StatusResponse before = cluster.client(1).status();
      try (RawHttp2Client peer = new RawHttp2Client(cluster.config(1).peerAddress());
          RawHttp2Client client = new RawHttp2Client(cluster.config(1).clientAddress())) {
        byte[] nothing = new byte[0];
        byte[] twoPuts = concat(message(0, SMALL), message(0, SMALL));
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("Vote with no message",
            peer.call(PEER_METHODS.get(0), NO_HEADERS).send(nothing, true), GrpcStatus.INTERNAL));
        checks.add(new Check("Put with no message",
            client.call(CLIENT_METHODS.get(0), NO_HEADERS).send(nothing, true), GrpcStatus.INTERNAL));
        checks.add(new Check("Status with no message",
            client.call(CLIENT_METHODS.get(2), NO_HEADERS).send(nothing, true), GrpcStatus.INTERNAL));
        checks.add(new Check("Put with two messages in one frame",
            client.call(CLIENT_METHODS.get(0), NO_HEADERS).send(twoPuts, true), GrpcStatus.INTERNAL));
        assertAll(checks);
      }
      assertUnchanged(before, cluster.client(1).status());
    }
  }

  @Test
  void afterAnswersHaveFlowedTheStatusComesInTheTrailers() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 1)) {
      cluster.start(1);
      cluster.awaitLeader();
      try (RawHttp2Client raw = new RawHttp2Client(cluster.config(1).clientAddress())) {
        GetRequest staleGet = GetRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
            .setConsistency(Consistency.STALE).build();
        byte[] get = message(0, SessionRequest.newBuilder()
            .addCalls(SessionCall.newBuilder().setCallId(7).setGet(staleGet)).build().toByteArray());
        RawHttp2Client.Call session = raw.call(CLIENT_METHODS.get(1), NO_HEADERS).send(get, false);
        TestCluster.awaitCondition("the session's first answer", () -> session.answerBytes() > 0);
        session.send(message(1, SMALL), false);
        assertAll(List.of(new Check("a compressed frame after an answer", session, GrpcStatus.INTERNAL)));
        RawHttp2Client.Answer answer = session.await(0);
        assertEquals("200", answer.headers().get(":status"));
        assertEquals(null, answer.headers().get("grpc-status"), "the status came in the trailers, after the answer");

        // Long enough for a stale read to be answered first even on a loaded machine.
        RawHttp2Client.Call late = raw.call(CLIENT_METHODS.get(1), Map.of("grpc-timeout", "1S")).send(get, false);
        TestCluster.awaitCondition("the second session's first answer", () -> late.answerBytes() > 0);
        assertAll(List.of(new Check("a session whose deadline passes after an answer", late,
            GrpcStatus.DEADLINE_EXCEEDED)));
        assertEquals(null, late.await(0).headers().get("grpc-status"), "the deadline's status came in the trailers");
      }
    }
  }

  @Test
  void grpcWebAndHttp1AreNotServed() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 1)) {
      cluster.start(1);
      cluster.awaitLeader();
      StatusResponse before = cluster.client(1).status();
      HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      Map<HostAndPort, String> methods = Map.of(cluster.config(1).peerAddress(), PEER_METHODS.get(0),
          cluster.config(1).clientAddress(), CLIENT_METHODS.get(0));
      List<String> wrong = new ArrayList<>();
      List<String> contentTypes = List.of("application/grpc-web+proto", "application/grpc-web-text", "application/grpc");
      methods.forEach((port, method) -> {
        for (String contentType : contentTypes) {
          HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + port + method))
              .timeout(Duration.ofMillis(ANSWER_MS)).header("content-type", contentType)
              .POST(HttpRequest.BodyPublishers.ofByteArray(message(1, SMALL))).build();
          try {
            int status = http1.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 415) wrong.add(method + " as " + contentType + ": HTTP " + status);
          } catch (IOException | InterruptedException e) {
            wrong.add(method + " as " + contentType + ": no answer: " + e);
          }
        }
      });
      assertTrue(wrong.isEmpty(), "over HTTP/1.1 only 415 is expected:\n" + String.join("\n", wrong));
      assertUnchanged(before, cluster.client(1).status());
    }
  }

  private record Check(String what, RawHttp2Client.Call call, GrpcStatus expected) {}

  /** Opens every case on every method at once on one connection, then checks each answer and its stream. */
  private static void assertEachCaseAnswered(RawHttp2Client raw, List<String> methods) throws InterruptedException {
    List<Check> checks = new ArrayList<>();
    for (String method : methods) {
      for (Case c : cases()) {
        RawHttp2Client.Call call = raw.call(method, c.headers());
        for (int i = 0; i < c.frames().size(); i++) {
          call.send(c.frames().get(i), c.endStream() && i == c.frames().size() - 1);
        }
        checks.add(new Check(method + ", " + c.name(), call, c.expected()));
      }
    }
    assertAll(checks);
  }

  private static void assertAll(List<Check> checks) throws InterruptedException {
    List<String> wrong = new ArrayList<>();
    long deadline = System.nanoTime() + ANSWER_MS * 1_000_000;
    for (Check check : checks) {
      long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
      RawHttp2Client.Answer answer = check.call().await(left);
      Integer status = answer.grpcStatus();
      if (status == null || status != check.expected().code) {
        wrong.add(check.what() + ": expected " + check.expected() + ", got " + answer);
      } else if (status == GrpcStatus.UNIMPLEMENTED.code
          && !"identity".equals(answer.headers().get("grpc-accept-encoding"))) {
        wrong.add(check.what() + ": answered UNIMPLEMENTED without grpc-accept-encoding: identity: " + answer);
      } else if (!check.call().awaitClosed(Math.max(0, (deadline - System.nanoTime()) / 1_000_000))) {
        wrong.add(check.what() + ": answered " + check.expected() + " but the stream was not closed");
      }
    }
    assertTrue(wrong.isEmpty(), wrong.size() + " of " + checks.size() + " streams were not answered as the gRPC "
        + "protocol says:\n" + String.join("\n", wrong));
  }

  /** A well-formed call on the same connection is answered OK. */
  private static void assertServes(RawHttp2Client raw, String method, Map<String, String> headers, byte[] payload,
      String what) throws InterruptedException {
    RawHttp2Client.Answer answer = raw.call(method, headers).send(message(0, payload), true).await(ANSWER_MS);
    assertEquals(Integer.valueOf(0), answer.grpcStatus(), what + ": " + answer);
    assertTrue(answer.data().length > 5, what + " carries an answer");
  }

  /** A RaftPayload holding a pre-vote of node 1 at the next term: answered (refused by the leader), changes nothing. */
  private static byte[] preVote(long term) {
    VoteRequest request = new VoteRequest(Vote.of(term + 1, 1, false), LogId.of(0, 0, 0), false, true);
    byte[] vote = RaftCodec.encodeVoteRequest(request);
    return RaftPayload.newBuilder().setData(ByteString.copyFrom(vote)).build().toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
  }

  private static void assertUnchanged(StatusResponse before, StatusResponse after) {
    assertEquals(before.getTerm(), after.getTerm(), "term unchanged");
    assertEquals(before.getLastLogIndex(), after.getLastLogIndex(), "nothing was written");
  }
}
