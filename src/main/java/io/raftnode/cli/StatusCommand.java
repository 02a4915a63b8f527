package io.raftnode.cli;

import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code status}: AdminService.Status, printed one "field: value" per line so scripts can grep it. */
@Command(name = "status", description = "Show the node's Raft status, one field per line.")
final class StatusCommand extends CliCommand {
  @Mixin ClientFlags client;

  @Override
  public Integer call() throws Usage.Error {
    ClientOptions options = client.options();
    try (RpcClient rpc = new RpcClient(options)) {
      out.print(format(rpc.call(AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance())));
      return 0;
    } catch (RpcException e) {
      err.println(e.describe());
      return 1;
    }
  }

  static String format(StatusResponse s) {
    return "node_id: " + s.getNodeId() + "\n"
        + "role: " + s.getRole() + "\n"
        + "term: " + s.getTerm() + "\n"
        + "leader_id: " + s.getLeaderId() + "\n"
        + "commit_index: " + s.getCommitIndex() + "\n"
        + "applied_index: " + s.getAppliedIndex() + "\n"
        + "last_log_index: " + s.getLastLogIndex() + "\n"
        + "snapshot_index: " + s.getSnapshotIndex() + "\n"
        + "voters: " + ids(s.getVotersList()) + "\n"
        + "learners: " + ids(s.getLearnersList()) + "\n"
        + "membership_log_index: " + s.getMembershipLogIndex() + "\n"
        + "joint_new_voters: " + ids(s.getJointNewVotersList()) + "\n"
        + "removed: " + ids(s.getRemovedList()) + "\n"
        + "removed_from_cluster: " + s.getRemovedFromCluster() + "\n";
  }

  private static String ids(List<Long> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
