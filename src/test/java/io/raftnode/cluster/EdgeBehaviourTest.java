package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftnode.HostAndPort;
import io.raftnode.internal.service.ClientFailure;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.raftnode.proto.RaftPayload;
import io.raftnode.proto.RaftServiceGrpcClient;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What clients and peers see at the edges: no quorum, malformed peer payloads, bad client requests. */
@Timeout(120)
class EdgeBehaviourTest {

  @TempDir
  Path dataDirs;

  @Test
  void aWriteWithNoQuorumFailsUnavailableWithinABoundedWait() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      cluster.awaitLeader();
      for (long id : cluster.ids()) cluster.stop(id);
      cluster.start(1); // on its data dir; nodes 2 and 3 stay down: no leader can be elected
      long restoredLog = cluster.client(1).status().getLastLogIndex();
      long started = System.nanoTime();
      RemoteCallException error = failure(cluster.client(1).put("k", "v"));
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertEquals(GrpcStatus.UNAVAILABLE, error.status(), error.getMessage());
      assertEquals("not-leader", error.metadata(ClientFailure.REASON), "said by type, not only in words");
      assertTrue(waitedMs < 10_000, "the call gave up after " + waitedMs + " ms");
      StatusResponse status = cluster.client(1).status();
      assertEquals(restoredLog, status.getLastLogIndex(), "nothing was appended");
    }
  }

  @Test
  void malformedPeerPayloadsAreRefusedAndChangeNothing() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader == 1 ? 2 : 1;
      StatusResponse before = cluster.client(follower).status();
      GrpcClient grpc = GrpcClient.client(cluster.vertx,
          new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
      HostAndPort peer = cluster.config(follower).peerAddress();
      SocketAddress address = SocketAddress.inetSocketAddress(peer.port(), peer.host());
      byte[][] garbage = {new byte[0], {(byte) 0xc1}, {(byte) 0x81, (byte) 0xa4, 'v', 'o', 't', 'e'}, {(byte) 0xdf, 0x7f, -1, -1, -1}};
      for (ServiceMethod<RaftPayload, RaftPayload> method : java.util.List.of(RaftServiceGrpcClient.Vote, RaftServiceGrpcClient.AppendEntries)) {
        for (byte[] bytes : garbage) {
          RaftPayload payload = RaftPayload.newBuilder().setData(ByteString.copyFrom(bytes)).build();
          RemoteCallException error = failure(GrpcCalls.unary(grpc, address, method, payload, 5000));
          assertEquals(GrpcStatus.INVALID_ARGUMENT, error.status(), error.getMessage());
          assertTrue(!error.statusMessage().isEmpty(), "the refusal says what is wrong");
        }
      }
      StatusResponse after = cluster.client(follower).status();
      assertEquals(before.getTerm(), after.getTerm(), "term unchanged");
      assertEquals(leader, after.getLeaderId(), "still following the same leader");
      assertTrue(await(cluster.client(follower).get("absent", Consistency.LINEARIZABLE)) != null, "the node keeps serving");
    }
  }

  @Test
  void badClientRequestsAreInvalidArgument() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      cluster.awaitLeader();
      GrpcClient grpc = GrpcClient.client(cluster.vertx,
          new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
      HostAndPort client = cluster.config(1).clientAddress();
      SocketAddress address = SocketAddress.inetSocketAddress(client.port(), client.host());
      PutRequest emptyKey = PutRequest.newBuilder().setValue(ByteString.copyFromUtf8("v")).build();
      assertEquals(GrpcStatus.INVALID_ARGUMENT,
          failure(GrpcCalls.unary(grpc, address, KvServiceGrpcClient.Put, emptyKey, 5000)).status());
      PutRequest hugeKey = PutRequest.newBuilder().setKey(ByteString.copyFrom(new byte[5000])).build();
      assertEquals(GrpcStatus.INVALID_ARGUMENT,
          failure(GrpcCalls.unary(grpc, address, KvServiceGrpcClient.Put, hugeKey, 5000)).status());
    }
  }

  private static RemoteCallException failure(io.vertx.core.Future<?> call) throws Exception {
    try {
      call.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RemoteCallException remote) return remote;
      throw new AssertionError("expected a gRPC status, got " + e.getCause(), e.getCause());
    }
    throw new AssertionError("expected the call to fail");
  }
}
