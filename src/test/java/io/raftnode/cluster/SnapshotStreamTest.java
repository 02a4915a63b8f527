package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.HostAndPort;
import io.raftnode.internal.codec.RaftCodec;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.SnapshotMessage;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.model.Vote;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.RaftServiceGrpcClient;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad Snapshot streams sent straight to a follower get a clear status and change nothing: no snapshot installed,
 * no temp file left, term and log as before. A stale leader's stream is answered with the follower's vote.
 */
@Timeout(60)
class SnapshotStreamTest {
  @TempDir
  Path dataDirs;

  private static byte[] msg(SnapshotMessage m) {
    return RaftCodec.encodeSnapshotMessage(m);
  }

  private static long crc(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    return c.getValue();
  }

  /** Sends the payloads as one Snapshot stream; returns the status (OK when it answered). */
  private static GrpcStatus send(GrpcClient grpc, SocketAddress to, List<byte[]> payloads) throws Exception {
    Future<RaftPayload> answer = grpc.request(to, RaftServiceGrpcClient.Snapshot).compose(call -> {
      for (int i = 0; i < payloads.size() - 1; i++) call.write(PeerCalls.payload(payloads.get(i)));
      call.end(PeerCalls.payload(payloads.get(payloads.size() - 1)));
      return call.response().compose(r -> r.last().recover(e -> Future.failedFuture(
          new RemoteCallException(r.status() == null ? GrpcStatus.UNKNOWN : r.status(), r.statusMessage()))));
    });
    try {
      answer.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return GrpcStatus.OK;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RemoteCallException remote) return remote.status();
      throw e;
    }
  }

  @Test
  void badStreamsAreRefusedAndChangeNothing() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      SnapshotClusterTest.write(cluster, leader, "k", 20);
      SnapshotClusterTest.awaitCaughtUp(cluster, leader, follower);
      StatusResponse before = cluster.client(follower).status();
      HostAndPort peer = cluster.config(follower).peerAddress();
      SocketAddress to = SocketAddress.inetSocketAddress(peer.port(), peer.host());
      GrpcClient grpc = GrpcClient.client(cluster.vertx, PeerCalls.plaintext());

      Vote vote = Vote.of(before.getTerm(), leader, true);
      SnapshotMeta meta = new SnapshotMeta(LogId.of(before.getTerm(), leader, before.getCommitIndex() + 1000),
          new StoredMembership(null, Membership.empty()), "forged");
      byte[] data = new byte[10_000];
      byte[] head = msg(new SnapshotMessage.Meta(vote, meta, data.length));
      byte[] first = msg(new SnapshotMessage.Chunk(0, java.util.Arrays.copyOf(data, 6000)));
      byte[] done = msg(new SnapshotMessage.Done(crc(data)));

      List<Case> cases = new ArrayList<>();
      cases.add(new Case("chunk out of order", GrpcStatus.FAILED_PRECONDITION,
          List.of(head, first, msg(new SnapshotMessage.Chunk(7000, new byte[3000])), done)));
      cases.add(new Case("chunk past the size", GrpcStatus.INVALID_ARGUMENT,
          List.of(head, first, msg(new SnapshotMessage.Chunk(6000, new byte[5000])), done)));
      cases.add(new Case("wrong checksum", GrpcStatus.INVALID_ARGUMENT,
          List.of(head, first, msg(new SnapshotMessage.Chunk(6000, new byte[4000])),
              msg(new SnapshotMessage.Done(crc(data) ^ 1)))));
      cases.add(new Case("short of the size", GrpcStatus.INVALID_ARGUMENT, List.of(head, first, done)));
      cases.add(new Case("chunk before meta", GrpcStatus.INVALID_ARGUMENT, List.of(first, done)));
      cases.add(new Case("two metas", GrpcStatus.INVALID_ARGUMENT, List.of(head, head)));
      cases.add(new Case("not msgpack", GrpcStatus.INVALID_ARGUMENT, List.of(head, new byte[] {(byte) 0xc1})));
      cases.add(new Case("ends before done", GrpcStatus.INVALID_ARGUMENT, List.of(head, first)));
      cases.add(new Case("uncommitted vote", GrpcStatus.INVALID_ARGUMENT, List.of(
          msg(new SnapshotMessage.Meta(Vote.of(before.getTerm(), leader, false), meta, data.length)), first)));
      for (Case c : cases) {
        assertEquals(c.expected(), send(grpc, to, c.payloads()), c.name());
      }

      // A stale leader: answered with the follower's vote, nothing installed.
      SnapshotMeta old = new SnapshotMeta(LogId.of(before.getTerm() - 1, leader, before.getCommitIndex() + 1000),
          new StoredMembership(null, Membership.empty()), "old");
      byte[] stale = msg(new SnapshotMessage.Meta(Vote.of(before.getTerm() - 1, leader, true), old, data.length));
      assertEquals(GrpcStatus.OK, send(grpc, to, List.of(stale, first)), "stale leader");

      StatusResponse after = cluster.client(follower).status();
      assertEquals(0, after.getSnapshotIndex(), "no snapshot installed");
      assertEquals(before.getTerm(), after.getTerm());
      assertEquals(before.getLastLogIndex(), after.getLastLogIndex());
      TestCluster.awaitCondition("temp files deleted", () -> noFiles(cluster.config(follower).dataDir()));
      assertTrue(await(cluster.client(leader).put("after", "x")) > 0, "the cluster keeps serving");
    }
  }

  private static long await(Future<io.raftnode.proto.PutResponse> put) {
    return TestCluster.await(put).getRevision();
  }

  private static boolean noFiles(Path dataDir) {
    try (Stream<Path> files = Files.list(dataDir.resolve("snapshots"))) {
      return files.findAny().isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private record Case(String name, GrpcStatus expected, List<byte[]> payloads) {}
}
