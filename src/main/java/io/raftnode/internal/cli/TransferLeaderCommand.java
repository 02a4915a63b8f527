package io.raftnode.internal.cli;

import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.TransferLeadershipRequest;
import io.raftnode.proto.TransferLeadershipResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code transfer-leader [ID]}: AdminService.TransferLeadership. Any node takes it (a follower forwards it to the
 * leader); without an ID the leader hands over to its most up-to-date voter. Prints the leader it ended with.
 */
@Command(name = "transfer-leader", description = "Hand leadership to voter ID (default: the most up-to-date voter).")
final class TransferLeaderCommand extends CliCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "ID") String target;
  @Mixin ClientFlags client;

  @Override
  public Integer call() throws Usage.Error {
    long id = target == null ? 0 : MemberCommand.nodeId(target);
    ClientOptions options = client.options();
    try (RpcClient rpc = new RpcClient(options)) {
      TransferLeadershipResponse r = rpc.call(AdminServiceGrpcClient.TransferLeadership,
          TransferLeadershipRequest.newBuilder().setTargetNodeId(id).build());
      out.println("transfer-leader: new_leader_id=" + r.getNewLeaderId());
      return 0;
    } catch (RpcException e) {
      err.println(e.describe());
      return 1;
    }
  }
}
