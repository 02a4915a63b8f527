package io.raftnode.internal.service;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.raftnode.NodeStatus;
import io.raftnode.internal.grpc.GrpcMethod;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.grpc.ServerCall;
import io.raftnode.internal.grpc.UnaryCalls;
import io.raftnode.internal.node.InternalNode;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.AdminServiceGrpcService;
import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import io.raftnode.proto.TakeSnapshotRequest;
import io.raftnode.proto.TakeSnapshotResponse;
import io.raftnode.proto.TransferLeadershipRequest;
import io.raftnode.proto.TransferLeadershipResponse;
import io.raftnode.proto.WorkProgress;
import io.vertx.core.Future;
import io.vertx.grpc.client.GrpcClient;
import java.util.List;
import java.util.Map;

/**
 * AdminService: Status, TakeSnapshot and SaveSnapshot ({@link SaveSnapshotStream}) are served by the node called; TransferLeadership and the membership
 * methods ({@link MembershipApi}) are carried out by the leader, to which a follower forwards them.
 */
public final class AdminApi implements NodeClientService {
  private static final GrpcMethod<StatusRequest, StatusResponse> STATUS = GrpcMethod.of(AdminServiceGrpcService.Status,
      StatusRequest.parser());
  private static final GrpcMethod<TakeSnapshotRequest, TakeSnapshotResponse> TAKE_SNAPSHOT =
      GrpcMethod.of(AdminServiceGrpcService.TakeSnapshot, TakeSnapshotRequest.parser());
  private static final GrpcMethod<TransferLeadershipRequest, TransferLeadershipResponse> TRANSFER_LEADERSHIP =
      GrpcMethod.of(AdminServiceGrpcService.TransferLeadership, TransferLeadershipRequest.parser());

  @Override
  public List<ServiceDescriptor> services() {
    return List.of(AdminServiceGrpcService.SERVICE_DESCRIPTOR);
  }

  @Override
  public void bind(GrpcRoutes routes, InternalNode node) {
    GrpcClient forwarder = KvApi.forwarder(node);
    LeaderRouter router = new LeaderRouter(node);
    StoreQuota store = StoreQuota.of(node);
    UnaryCalls.serve(routes, STATUS, request -> node.status().map(s -> withStore(toProto(s), store)));
    UnaryCalls.serve(routes, TAKE_SNAPSHOT, request -> node.takeSnapshot()
        .map(index -> TakeSnapshotResponse.newBuilder().setSnapshotIndex(index).build()));
    UnaryCalls.serve(routes, TRANSFER_LEADERSHIP,
        (call, request) -> UnaryAnswers.answer(call, transfer(node, router, forwarder, call, request)));
    new MembershipApi(node, router, forwarder).bind(routes);
    SaveSnapshotStream.bind(routes, node, router);
  }

  private static Future<TransferLeadershipResponse> transfer(InternalNode node, LeaderRouter router, GrpcClient forwarder,
      ServerCall<TransferLeadershipRequest, TransferLeadershipResponse> call, TransferLeadershipRequest request) {
    if (request.getTargetNodeId() < 0) throw ClientErrors.invalid("target_node_id must be below 2^63");
    return router.route(
            () -> node.transferLeadership(request.getTargetNodeId())
                .map(leader -> TransferLeadershipResponse.newBuilder().setNewLeaderId(leader).build()),
            (leader, timeoutMs) -> GrpcCalls.unary(forwarder, leader, AdminServiceGrpcClient.TransferLeadership,
                request, timeoutMs, Map.of(LeaderRouter.FORWARDED_HEADER, String.valueOf(node.nodeId()))),
            KvApi.forwarded(call), CallDeadline.of(call))
        .recover(err -> ClientErrors.withLeaderHint(node, ClientErrors.classifyRead(err)).compose(Future::failedFuture));
  }

  static StatusResponse toProto(NodeStatus s) {
    StatusResponse.Builder b = StatusResponse.newBuilder()
        .setNodeId(s.nodeId()).setRole(s.role()).setTerm(s.term()).setLeaderId(s.leaderId())
        .setCommitIndex(s.commitIndex()).setAppliedIndex(s.appliedIndex()).setLastLogIndex(s.lastLogIndex())
        .setSnapshotIndex(s.snapshotIndex()).addAllVoters(s.voters()).addAllLearners(s.learners())
        .setMembershipLogIndex(s.membershipLogIndex()).addAllRemoved(s.removed())
        .setRemovedFromCluster(s.removedFromCluster()).addAllJointNewVoters(s.jointNewVoters())
        .setVersion(s.version()).setDataSizeBytes(s.dataSizeBytes()).setReadsServed(s.readsServed())
        .setPendingProposalBytes(s.flowControl().pendingProposalBytes())
        .setMaxPendingProposalBytes(s.flowControl().maxPendingProposalBytes())
        .setAppendBufferBytes(s.flowControl().appendBufferBytes())
        .setMaxPendingAppendBytes(s.flowControl().maxPendingAppendBytes());
    s.members().forEach(m -> b.addMembers(toProto(m, s.work())));
    s.work().forEach(w -> b.addWork(toProto(w)));
    return b.build();
  }

  /** The key-value store's size and quota, when the node runs the built-in store. */
  private static StatusResponse withStore(StatusResponse status, StoreQuota store) {
    if (store.storeBytes() < 0) return status;
    return status.toBuilder().setKvStoreBytes(store.storeBytes()).setMaxStoreBytes(store.quota()).build();
  }

  private static WorkProgress toProto(NodeStatus.Work w) {
    return WorkProgress.newBuilder().setKind(w.kind()).setPeer(w.peer()).setUnit(w.unit()).setDone(w.done())
        .setTotal(w.total()).setRatePerSecond(w.ratePerSecond()).setEtaMs(w.etaMs()).setElapsedMs(w.elapsedMs())
        .build();
  }

  private static MemberStatus toProto(NodeStatus.Member m, List<NodeStatus.Work> work) {
    MemberStatus.Builder b = MemberStatus.newBuilder().setNodeId(m.nodeId()).setPeerAddress(m.peerAddress())
        .setClientAddress(m.clientAddress()).setVoter(m.voter()).setLeader(m.leader());
    NodeStatus.Progress p = m.progress();
    if (p != null) {
      b.setProgressKnown(true).setMatchIndex(p.matchIndex()).setLag(p.lag()).setReplication(p.replication())
          .setLostLog(p.lostLog()).setLastHeardMsAgo(p.lastHeardMsAgo());
      for (NodeStatus.Work w : work) {
        if (w.peer() != m.nodeId()) continue;
        if (w.kind().equals("catch-up")) b.setCatchUp(toProto(w));
        if (w.kind().equals("snapshot-send")) b.setSnapshotSend(toProto(w));
      }
    }
    return b.build();
  }
}
