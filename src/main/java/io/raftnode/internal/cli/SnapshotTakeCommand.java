package io.raftnode.internal.cli;

import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.TakeSnapshotRequest;
import io.raftnode.proto.TakeSnapshotResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code snapshot take}: AdminService.TakeSnapshot on the node asked; prints the index the snapshot covers. */
@Command(name = "take", description = "Make the node asked snapshot everything it applied and compact its log.")
final class SnapshotTakeCommand extends CliCommand {
  @Mixin ClientFlags client;

  @Override
  public Integer call() throws Usage.Error {
    ClientOptions options = client.options();
    try (RpcClient rpc = new RpcClient(options)) {
      TakeSnapshotResponse r = rpc.call(AdminServiceGrpcClient.TakeSnapshot, TakeSnapshotRequest.getDefaultInstance());
      out.println("snapshot take: snapshot_index=" + r.getSnapshotIndex());
      return 0;
    } catch (RpcException e) {
      err.println(e.describe());
      return 1;
    }
  }
}
