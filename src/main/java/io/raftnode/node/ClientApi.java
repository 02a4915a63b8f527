package io.raftnode.node;

import io.vertx.grpc.server.GrpcServer;

/** A client-facing gRPC service the node serves on its client address (KvService, AdminService, your own). */
public interface ClientApi {
  void bind(GrpcServer server, RaftNode node);
}
