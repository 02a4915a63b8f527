package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.KvServiceGrpcClient;
import io.raftnode.proto.PutRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A client's deadline bounds the whole call on the node it called, the wait for a leader included. */
@Timeout(120)
class ClientDeadlineTest {

  @TempDir
  Path dataDirs;

  @Test
  void aWriteThroughAFollowerWithNoLeaderEndsAtTheClientsDeadline() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader == 1 ? 2 : 1;
      for (long id : cluster.ids()) {
        if (id != follower) cluster.stop(id);
      }
      GrpcClient grpc = GrpcClient.client(cluster.vertx, cluster.clientPortOptions());
      var address = cluster.config(follower).clientAddress();
      PutRequest put = PutRequest.newBuilder().setKey(KvTestClient.utf8("k")).setValue(KvTestClient.utf8("v")).build();
      long started = System.nanoTime();
      RemoteCallException error = TestCluster.remoteFailure(GrpcCalls.unary(grpc,
          SocketAddress.inetSocketAddress(address.port(), address.host()), KvServiceGrpcClient.Put, put, 300));
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertEquals(GrpcStatus.DEADLINE_EXCEEDED, error.status(), error.getMessage());
      // A bound on behaviour, not a performance figure: well below the 3 s a call waits for a leader by itself.
      assertTrue(tookMs < 2_500, "the call ended after " + tookMs + " ms");

      // Nor does the node go on with the call once the client has given up: when a leader appears, the write
      // the client abandoned is not carried out behind its back.
      for (long id : cluster.ids()) {
        if (id != follower) cluster.start(id);
      }
      cluster.awaitLeader();
      var read = TestCluster.await(cluster.client(follower).get("k", io.raftnode.proto.Consistency.LINEARIZABLE));
      assertTrue(!read.getFound(), "the write was applied after its deadline: " + read);
    }
  }
}
