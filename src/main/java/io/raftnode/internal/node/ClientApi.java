package io.raftnode.internal.node;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.grpc.server.GrpcServer;
import java.util.List;

/** A client-facing gRPC service the node serves on its client address (KvService, AdminService, your own). */
public interface ClientApi {
  void bind(GrpcServer server, InternalNode node);

  /** The gRPC services {@link #bind} serves, listed by server reflection so tools such as grpcurl need no protos. */
  default List<ServiceDescriptor> services() {
    return List.of();
  }
}
