package io.raftnode.internal.service;

import com.google.protobuf.MessageLite;
import io.raftnode.HostAndPort;
import io.raftnode.internal.grpc.GrpcMethod;
import io.raftnode.internal.grpc.GrpcRoutes;
import io.raftnode.internal.grpc.ServerCall;
import io.raftnode.internal.grpc.UnaryCalls;
import io.raftnode.internal.model.MembershipCommand;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.node.InternalNode;
import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.proto.AddLearnerRequest;
import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.AdminServiceGrpcService;
import io.raftnode.proto.ChangeMembershipRequest;
import io.raftnode.proto.MembershipResponse;
import io.raftnode.proto.RemoveMemberRequest;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.ServiceMethod;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * AdminService's membership methods: AddLearner, ChangeMembership and RemoveMember. Each is checked here for what
 * no membership could make valid (INVALID_ARGUMENT), then carried out by the leader, to which a follower forwards
 * it, and answered once the change is committed (see {@link MembershipErrors} for the failures).
 */
final class MembershipApi {
  private static final GrpcMethod<AddLearnerRequest, MembershipResponse> ADD_LEARNER =
      GrpcMethod.of(AdminServiceGrpcService.AddLearner, AddLearnerRequest.parser());
  private static final GrpcMethod<ChangeMembershipRequest, MembershipResponse> CHANGE_MEMBERSHIP =
      GrpcMethod.of(AdminServiceGrpcService.ChangeMembership, ChangeMembershipRequest.parser());
  private static final GrpcMethod<RemoveMemberRequest, MembershipResponse> REMOVE_MEMBER =
      GrpcMethod.of(AdminServiceGrpcService.RemoveMember, RemoveMemberRequest.parser());

  private final InternalNode node;
  private final LeaderRouter router;
  private final GrpcClient forwarder;

  MembershipApi(InternalNode node, LeaderRouter router, GrpcClient forwarder) {
    this.node = node;
    this.router = router;
    this.forwarder = forwarder;
  }

  void bind(GrpcRoutes routes) {
    UnaryCalls.serve(routes, ADD_LEARNER, (call, request) -> change(call,
        addLearner(request), request.getExpectedMembershipIndex(), AdminServiceGrpcClient.AddLearner, request));
    UnaryCalls.serve(routes, CHANGE_MEMBERSHIP, (call, request) -> change(call,
        setVoters(request), request.getExpectedMembershipIndex(), AdminServiceGrpcClient.ChangeMembership, request));
    UnaryCalls.serve(routes, REMOVE_MEMBER, (call, request) -> change(call,
        remove(request), request.getExpectedMembershipIndex(), AdminServiceGrpcClient.RemoveMember, request));
  }

  private <Req extends MessageLite> Future<MembershipResponse> change(ServerCall<Req, MembershipResponse> call,
      MembershipCommand command, long expectedIndex, ServiceMethod<MembershipResponse, Req> method, Req request) {
    if (expectedIndex < 0) throw ClientErrors.invalid("expected_membership_index must be below 2^63");
    CallDeadline deadline = CallDeadline.of(call);
    Future<MembershipResponse> changed = router.route(
            () -> node.changeMembership(command, expectedIndex).map(MembershipApi::toProto)
                .recover(err -> Future.failedFuture(MembershipErrors.forRouting(err))),
            (SocketAddress leader, Long timeoutMs) -> GrpcCalls.unary(forwarder, leader, method, request, timeoutMs,
                Map.of(LeaderRouter.FORWARDED_HEADER, String.valueOf(node.nodeId()))),
            KvApi.forwarded(call), deadline)
        .recover(err -> Future.failedFuture(MembershipErrors.toStatus(err, deadline)));
    return UnaryAnswers.answer(call, changed);
  }

  static MembershipCommand addLearner(AddLearnerRequest r) {
    long id = nodeId(r.getNodeId(), "node_id");
    HostAndPort peer = address(r.getPeerAddress(), "peer_address");
    HostAndPort client = address(r.getClientAddress(), "client_address");
    if (peer.equals(client)) throw ClientErrors.invalid("peer_address and client_address must differ, both are " + peer);
    return new MembershipCommand.AddLearner(id, new Node(peer.toString(), client.toString()));
  }

  static MembershipCommand setVoters(ChangeMembershipRequest r) {
    if (r.getVotersCount() == 0) throw ClientErrors.invalid("voters must name at least one voter");
    Set<Long> voters = new HashSet<>();
    for (long id : r.getVotersList()) {
      if (!voters.add(nodeId(id, "voters"))) throw ClientErrors.invalid("voters lists node " + id + " twice");
    }
    return new MembershipCommand.SetVoters(voters);
  }

  static MembershipCommand remove(RemoveMemberRequest r) {
    return new MembershipCommand.RemoveNode(nodeId(r.getNodeId(), "node_id"));
  }

  private static long nodeId(long id, String field) {
    if (id <= 0) throw ClientErrors.invalid(field + ": node ids are 1 to 2^63-1, got " + Long.toUnsignedString(id));
    return id;
  }

  private static HostAndPort address(String text, String field) {
    try {
      return HostAndPort.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw ClientErrors.invalid(field + " is not a valid host:port address: " + e.getMessage());
    }
  }

  static MembershipResponse toProto(StoredMembership m) {
    return MembershipResponse.newBuilder()
        .addAllVoters(m.membership().voterIds()).addAllLearners(m.membership().learnerIds())
        .setLogIndex(m.logId() == null ? 0 : m.logId().index()).addAllRemoved(m.membership().removed())
        .build();
  }
}
