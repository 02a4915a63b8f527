package io.raftnode;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.raftnode.internal.service.AdminApi;
import io.raftnode.internal.service.KvApi;
import io.vertx.grpc.server.GrpcServer;
import java.util.List;

/**
 * A gRPC service a {@link RaftNodeVerticle} serves on its client address, beside the health and reflection services
 * it always serves: the node's own {@link #kv() KvService} and {@link #admin() AdminService}, or one of your own
 * built on the {@link RaftNode} handle.
 */
public interface ClientService {

  /**
   * Registers the service's handlers; called once, when the node starts, before its client port listens.
   *
   * @param server the gRPC server of the node's client port
   * @param node   the node the service answers for
   */
  void bind(GrpcServer server, RaftNode node);

  /**
   * The gRPC services {@link #bind} serves, listed by server reflection so tools such as grpcurl need no protos.
   *
   * @return their descriptors; none by default
   */
  default List<ServiceDescriptor> services() {
    return List.of();
  }

  /**
   * KvService and KvSessionService (docs/PROTOCOL.md): the key-value API of the built-in key-value state machine,
   * for a node that replicates that state machine. Followers forward writes to the leader. The node it is given to
   * serves it on the node's own gRPC layer, not through {@link #bind}, which throws
   * {@link UnsupportedOperationException}.
   *
   * @return a new instance for one node
   */
  static ClientService kv() {
    return new KvApi();
  }

  /**
   * AdminService: status, snapshots and backups, leadership transfer and membership changes, what node.jar's
   * {@code status}, {@code snapshot}, {@code member} and {@code transfer-leader} commands call. Serves any state
   * machine. Like {@link #kv()}, it is served by the node it is given to, not through {@link #bind}.
   *
   * @return a new instance for one node
   */
  static ClientService admin() {
    return new AdminApi();
  }
}
