package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.HostAndPort;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.internal.transport.RemoteCallException;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.reflection.v1.ServiceResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client port's grpc.health.v1.Health follows whether the node knows a live leader (Check and Watch), and
 * server reflection lists the node's services.
 */
@Timeout(120)
class HealthAndReflectionTest {
  private static final ServiceName HEALTH = ServiceName.create("grpc.health.v1.Health");
  private static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> CHECK = ServiceMethod.client(HEALTH,
      "Check", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));
  private static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> WATCH = ServiceMethod.client(HEALTH,
      "Watch", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));
  private static final ServiceMethod<ServerReflectionResponse, ServerReflectionRequest> REFLECTION =
      ServiceMethod.client(ServiceName.create("grpc.reflection.v1.ServerReflection"), "ServerReflectionInfo",
          GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(ServerReflectionResponse.newBuilder()));

  @TempDir
  Path dataDirs;

  @Test
  void healthFollowsTheLeaderAndWatchSeesEachChange() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader % 3 + 1;
      long third = 6 - leader - follower;
      GrpcClient grpc = GrpcClient.client(cluster.vertx, cluster.clientPortOptions());
      for (long id : cluster.ids()) {
        awaitStatus(grpc, cluster, id, ServingStatus.SERVING);
      }
      List<ServingStatus> watched = new CopyOnWriteArrayList<>();
      await(grpc.request(address(cluster, follower), WATCH).compose(call -> {
        call.end(HealthCheckRequest.newBuilder().setService("").build());
        return call.response();
      }).map(response -> response.handler(message -> watched.add(message.getStatus()))));
      TestCluster.awaitCondition("Watch sends SERVING first", () -> watched.equals(List.of(ServingStatus.SERVING)));

      cluster.stop(leader);
      cluster.stop(third);
      awaitStatus(grpc, cluster, follower, ServingStatus.NOT_SERVING);
      TestCluster.awaitCondition("Watch sees NOT_SERVING", () -> watched.contains(ServingStatus.NOT_SERVING));

      cluster.start(third);
      awaitStatus(grpc, cluster, follower, ServingStatus.SERVING);
      TestCluster.awaitCondition("Watch sees SERVING again", () -> watched.size() >= 3
          && watched.get(watched.size() - 1) == ServingStatus.SERVING);
      for (int i = 1; i < watched.size(); i++) {
        assertTrue(watched.get(i) != watched.get(i - 1), "Watch sends changes only: " + watched);
      }

      RemoteCallException unknown = TestCluster.remoteFailure(GrpcCalls.unary(grpc, address(cluster, follower), CHECK,
          HealthCheckRequest.newBuilder().setService("raftnode.v1.NoSuchService").build(), 2000));
      assertEquals(GrpcStatus.NOT_FOUND, unknown.status());
    }
  }

  @Test
  void reflectionListsTheNodesServices() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 1)) {
      cluster.startAll();
      GrpcClient grpc = GrpcClient.client(cluster.vertx, cluster.clientPortOptions());
      ServerReflectionResponse answer = await(grpc.request(address(cluster, 1), REFLECTION).compose(call -> {
        call.end(ServerReflectionRequest.newBuilder().setListServices("*").build());
        return call.response().compose(response -> response.last());
      }));
      Set<String> services = answer.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName)
          .collect(Collectors.toSet());
      assertTrue(services.containsAll(Set.of("raftnode.v1.KvService", "raftnode.v1.KvSessionService",
          "raftnode.v1.AdminService", "grpc.health.v1.Health")), services.toString());
    }
  }

  private static void awaitStatus(GrpcClient grpc, TestCluster cluster, long id, ServingStatus expected) {
    TestCluster.awaitCondition("node " + id + " reports " + expected, () -> {
      try {
        return await(GrpcCalls.unary(grpc, address(cluster, id), CHECK, HealthCheckRequest.getDefaultInstance(), 2000))
            .getStatus() == expected;
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  private static SocketAddress address(TestCluster cluster, long id) {
    HostAndPort client = cluster.config(id).clientAddress();
    return SocketAddress.inetSocketAddress(client.port(), client.host());
  }
}
