package io.raftnode.api;

import io.raftnode.node.ClientApi;
import io.raftnode.node.NodeStatus;
import io.raftnode.node.RaftNode;
import io.raftnode.proto.AdminServiceGrpcService;
import io.raftnode.proto.StatusResponse;
import io.raftnode.proto.TakeSnapshotResponse;
import io.raftnode.transport.UnaryHandler;
import io.vertx.grpc.server.GrpcServer;

/**
 * AdminService. Status and TakeSnapshot are served; the membership and leadership-transfer methods are not bound
 * yet and answer UNIMPLEMENTED.
 */
public final class AdminApi implements ClientApi {

  @Override
  public void bind(GrpcServer server, RaftNode node) {
    UnaryHandler.serve(server, AdminServiceGrpcService.Status, request -> node.status().map(AdminApi::toProto));
    UnaryHandler.serve(server, AdminServiceGrpcService.TakeSnapshot, request -> node.takeSnapshot()
        .map(index -> TakeSnapshotResponse.newBuilder().setSnapshotIndex(index).build()));
  }

  static StatusResponse toProto(NodeStatus s) {
    return StatusResponse.newBuilder()
        .setNodeId(s.nodeId()).setRole(s.role()).setTerm(s.term()).setLeaderId(s.leaderId())
        .setCommitIndex(s.commitIndex()).setAppliedIndex(s.appliedIndex()).setLastLogIndex(s.lastLogIndex())
        .setSnapshotIndex(s.snapshotIndex()).addAllVoters(s.voters()).addAllLearners(s.learners())
        .build();
  }
}
