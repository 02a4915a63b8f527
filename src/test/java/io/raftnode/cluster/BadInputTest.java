package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.HostAndPort;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.internal.transport.RemoteCallException;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw bytes, not necessarily protobuf, sent to every unary method of the client and peer ports: each call ends
 * with a clear status within its deadline, nothing is written, and the node keeps serving.
 */
@Timeout(120)
class BadInputTest {
  // TransferLeadership, ChangeMembership and RemoveMember are left out: short inputs such as the empty message
  // (target 0) or {0x08, 0x01} (target 1; voters [1]; remove node 1) are valid requests there, and carrying them out
  // rightly changes the term or the members. LeadershipAndReadsTest and MembershipClusterTest cover them.
  private static final Map<String, List<String>> METHODS = Map.of(
      "raftnode.v1.KvService", List.of("Put", "Get", "Delete", "CompareAndSwap"),
      "raftnode.v1.AdminService", List.of("Status", "AddLearner", "TakeSnapshot"),
      "raftnode.v1.RaftService", List.of("Vote", "AppendEntries", "TransferLeader"));
  private static final Set<GrpcStatus> REFUSALS = Set.of(GrpcStatus.INVALID_ARGUMENT, GrpcStatus.FAILED_PRECONDITION,
      GrpcStatus.RESOURCE_EXHAUSTED, GrpcStatus.UNIMPLEMENTED);

  @TempDir
  Path dataDirs;

  @Test
  void garbageToEveryUnaryMethodIsRefusedAndWritesNothing() throws Exception {
    Random random = new Random(11);
    byte[] noise = new byte[300];
    random.nextBytes(noise);
    byte[] hugeValue = new byte[(1 << 20) + 100]; // field 2 (value), over the 1 MiB limit, key "k"
    byte[] header = {0x0a, 0x01, 'k', 0x12, (byte) 0xe4, (byte) 0x80, 0x40};
    System.arraycopy(header, 0, hugeValue, 0, header.length);
    List<byte[]> inputs = List.of(
        new byte[0],                                      // every field at its default: an empty key
        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff},  // not protobuf
        new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, // a length far past the end
        new byte[] {0x0a, 0x05, 'a'},                     // truncated
        new byte[] {0x08, 0x01},                          // key with the wrong wire type
        noise,
        hugeValue,
        new byte[(16 << 20) + 1]);                        // over the message size limit
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      StatusResponse before = cluster.client(leader).status();
      HostAndPort client = cluster.config(leader).clientAddress();
      SocketAddress address = SocketAddress.inetSocketAddress(client.port(), client.host());
      GrpcClient grpc = GrpcClient.client(cluster.vertx, PeerCalls.plaintext());
      HostAndPort peer = cluster.config(leader).peerAddress();
      SocketAddress peerAddress = SocketAddress.inetSocketAddress(peer.port(), peer.host());
      for (Map.Entry<String, List<String>> service : METHODS.entrySet()) {
        SocketAddress to = service.getKey().endsWith("RaftService") ? peerAddress : address;
        for (String name : service.getValue()) {
          ServiceMethod<Buffer, Buffer> method = ServiceMethod.client(ServiceName.create(service.getKey()), name,
              GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);
          for (byte[] input : inputs) {
            GrpcStatus status = status(GrpcCalls.unary(grpc, to, method, Buffer.buffer(input), 5000));
            // An empty message is a valid Status or TakeSnapshot request; neither touches the log.
            boolean harmlessRead = (name.equals("Status") || name.equals("TakeSnapshot")) && status == GrpcStatus.OK;
            assertTrue(harmlessRead || REFUSALS.contains(status), service.getKey() + "/" + name + " with "
                + input.length + " bytes answered " + status);
          }
        }
      }
      StatusResponse after = cluster.client(leader).status();
      assertEquals(before.getTerm(), after.getTerm(), "term unchanged");
      assertEquals(before.getLastLogIndex(), after.getLastLogIndex(), "nothing was written");
      assertTrue(await(cluster.client(leader).put("k", "v")).getRevision() > 0, "the node keeps serving");
    }
  }

  private static GrpcStatus status(Future<?> call) {
    try {
      call.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return GrpcStatus.OK;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RemoteCallException remote) return remote.status();
      throw new AssertionError("no gRPC status: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("no answer within the deadline: " + e, e);
    }
  }
}
