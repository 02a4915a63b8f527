package io.raftnode.cli;

import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** {@code status}: AdminService.Status, printed one "field: value" per line so scripts can grep it. */
final class StatusCommand {
  private StatusCommand() {}

  static int run(List<String> words, PrintStream out, PrintStream err) throws Usage.Error {
    Args args = Args.parse(words, ClientOptions.NAMES, ClientOptions.FLAGS);
    args.expect(0, "status [--server HOST:PORT] [--timeout-ms N] [--tls ...]");
    ClientOptions options = ClientOptions.from(args);
    try (RpcClient client = new RpcClient(options)) {
      out.print(format(client.call(AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance())));
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
        + "removed_from_cluster: " + s.getRemovedFromCluster() + "\n"
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
