package io.raftnode.internal.service;

import io.raftnode.ClientService;
import io.raftnode.RaftNode;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.node.InternalNode;
import io.vertx.grpc.server.GrpcServer;

/**
 * A {@link ClientService} of the node's own ({@code kv()}, {@code admin()}): the node serves its methods on its own
 * gRPC layer ({@link GrpcRoutes}), which keeps framing, deadlines and cancellation below the handlers, rather than
 * on Vert.x's gRPC server.
 */
public interface NodeClientService extends ClientService {

  /** Binds the service's methods for {@code node}; called once, before the client port listens. */
  void bind(GrpcRoutes routes, InternalNode node);

  /** Not served through Vert.x's gRPC server: the {@code RaftNodeVerticle} given this service binds it itself. */
  @Override
  default void bind(GrpcServer server, RaftNode node) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " is served by the RaftNodeVerticle it is "
        + "given to, on the node's own gRPC layer; pass it to the RaftNodeVerticle instead of binding it");
  }
}
