package io.raftnode.internal.cli;

import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code status}: AdminService.Status of the node asked, one "field: value" per line so scripts can grep it; with
 * {@code --cluster}, every member's own Status, one row each ({@link ClusterTable}).
 */
@Command(name = "status", description = {"Show the node's Raft status, one field per line.",
    "With --cluster: one row per member, each asked at its own client address (exit 1 if one does not answer)."})
final class StatusCommand extends CliCommand {
  @Option(names = "--cluster", description = "ask every member the node knows of") boolean cluster;
  @Option(names = {"-w", "--write-out"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "with --cluster: table (default), simple or json")
  String format;
  @Mixin ClientFlags client;

  @Override
  public Integer call() throws Usage.Error {
    if (!ClusterTable.FORMATS.contains(format)) throw new Usage.Error("-w is table, simple or json, got " + format);
    if (!cluster && !format.equals("table")) throw new Usage.Error("-w applies to status --cluster");
    ClientOptions options = client.options();
    try (RpcClient rpc = new RpcClient(options)) {
      if (!cluster) {
        out.print(format(rpc.call(AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance())));
        return 0;
      }
      List<ClusterView.Row> rows = ClusterView.collect(rpc, options.server());
      out.print(ClusterTable.render(rows, format));
      return rows.stream().allMatch(ClusterView.Row::answered) ? 0 : 1;
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
        + "removed_from_cluster: " + s.getRemovedFromCluster() + "\n"
        + "version: " + s.getVersion() + "\n"
        + "data_size_bytes: " + s.getDataSizeBytes() + "\n"
        + "reads_served: " + s.getReadsServed() + "\n"
        + (s.getMaxStoreBytes() == 0 ? "" // a node without the key-value store, or an older one
            : "kv_store_bytes: " + s.getKvStoreBytes() + "\nmax_store_bytes: " + s.getMaxStoreBytes() + "\n")
        + s.getWorkList().stream().map(StatusCommand::work).collect(Collectors.joining());
  }

  /** One line per long piece of work under way, e.g. "work: snapshot-send peer=3 done=1048576 total=4194304 ...". */
  private static String work(io.raftnode.proto.WorkProgress w) {
    return String.format(java.util.Locale.ROOT, "work: %s peer=%d done=%d total=%d unit=%s rate_per_second=%.0f "
        + "eta_ms=%d elapsed_ms=%d%n", w.getKind(), w.getPeer(), w.getDone(), w.getTotal(), w.getUnit(),
        w.getRatePerSecond(), w.getEtaMs(), w.getElapsedMs());
  }

  private static String ids(List<Long> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
