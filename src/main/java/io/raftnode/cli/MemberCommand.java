package io.raftnode.cli;

import io.raftnode.model.HostAndPort;
import io.raftnode.proto.AddLearnerRequest;
import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.ChangeMembershipRequest;
import io.raftnode.proto.MemberStatus;
import io.raftnode.proto.MembershipResponse;
import io.raftnode.proto.RemoveMemberRequest;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code member list|add-learner|promote|remove}: AdminService's membership calls. Any node accepts them (a
 * follower forwards a change to the leader); {@code list} asks the leader for its view of every member's progress.
 */
final class MemberCommand {
  private static final Set<String> OPTIONS = with(ClientOptions.NAMES, "--expect-index", "-w", "--wait-ms");
  private static final Set<String> SUBCOMMANDS = Set.of("list", "add-learner", "promote", "remove");
  private static final long DEFAULT_PROMOTE_WAIT_MS = 60_000;
  private static final long PROMOTE_RETRY_MS = 500;

  private MemberCommand() {}

  /** Every subcommand checks its whole command line before it connects: a usage error never touches the network. */
  static int run(List<String> words, PrintStream out, PrintStream err) throws Usage.Error {
    Args args = Args.parse(words, OPTIONS, ClientOptions.FLAGS);
    List<String> p = args.positionals();
    if (p.isEmpty()) throw new Usage.Error("member needs a subcommand: list, add-learner, promote or remove");
    String sub = p.get(0);
    if (!sub.equals("list") && args.option("-w", null) != null) throw new Usage.Error("-w applies to member list only");
    if (!sub.equals("promote") && args.option("--wait-ms", null) != null)
      throw new Usage.Error("--wait-ms applies to member promote only");
    if (sub.equals("list") && args.option("--expect-index", null) != null)
      throw new Usage.Error("--expect-index applies to changes only");
    if (!SUBCOMMANDS.contains(sub)) {
      throw new Usage.Error("unknown member subcommand \"" + sub + "\" (known: list, add-learner, promote, remove)");
    }
    long expect = expectIndex(args);
    ClientOptions options = ClientOptions.from(args);
    try {
      return switch (sub) {
        case "list" -> list(args, options, out);
        case "add-learner" -> addLearner(args, options, expect, out);
        case "promote" -> promote(args, options, expect, out, err);
        default -> remove(args, options, expect, out);
      };
    } catch (RpcException e) {
      err.println(e.describe());
      return 1;
    }
  }

  private static int list(Args args, ClientOptions options, PrintStream out) throws Usage.Error, RpcException {
    args.expect(1, "member list [-w table|json]");
    String format = args.option("-w", "table");
    if (!format.equals("table") && !format.equals("json")) throw new Usage.Error("-w is table or json, got " + format);
    StatusResponse status = leaderView(options);
    out.print(format.equals("json") ? MemberTable.json(status) : MemberTable.table(status));
    return 0;
  }

  private static int addLearner(Args args, ClientOptions options, long expect, PrintStream out)
      throws Usage.Error, RpcException {
    args.expect(4, "member add-learner ID PEER_ADDRESS CLIENT_ADDRESS [--expect-index N]");
    List<String> p = args.positionals();
    long id = nodeId(p.get(1));
    AddLearnerRequest request = AddLearnerRequest.newBuilder().setNodeId(id).setPeerAddress(address(p.get(2), "PEER_ADDRESS"))
        .setClientAddress(address(p.get(3), "CLIENT_ADDRESS")).setExpectedMembershipIndex(expect).build();
    try (RpcClient client = new RpcClient(options)) {
      out.println(describe(client.call(AdminServiceGrpcClient.AddLearner, request)));
    }
    return 0;
  }

  private static int remove(Args args, ClientOptions options, long expect, PrintStream out)
      throws Usage.Error, RpcException {
    args.expect(2, "member remove ID [--expect-index N]");
    RemoveMemberRequest request = RemoveMemberRequest.newBuilder().setNodeId(nodeId(args.positionals().get(1)))
        .setExpectedMembershipIndex(expect).build();
    try (RpcClient client = new RpcClient(options)) {
      out.println(describe(client.call(AdminServiceGrpcClient.RemoveMember, request)));
    }
    return 0;
  }

  /**
   * The current voters plus IDS become the voters. Without --expect-index the change is a compare-and-set on the
   * membership the command read, so a change made meanwhile by someone else is never overwritten. A learner that
   * has not caught up yet is asked again every half second for up to --wait-ms.
   */
  private static int promote(Args args, ClientOptions options, long expect, PrintStream out, PrintStream err)
      throws Usage.Error, RpcException {
    List<String> p = args.positionals();
    if (p.size() < 2) throw new Usage.Error("expected: member promote ID... [--expect-index N] [--wait-ms N]");
    Set<Long> promoted = new LinkedHashSet<>();
    for (String word : p.subList(1, p.size())) promoted.add(nodeId(word));
    long waitMs = nonNegative(args, "--wait-ms", DEFAULT_PROMOTE_WAIT_MS);
    long deadline = System.nanoTime() + waitMs * 1_000_000;
    boolean toldWaiting = false;
    try (RpcClient client = new RpcClient(options)) {
      while (true) {
        StatusResponse status = client.call(AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance());
        if (status.getJointNewVotersCount() > 0) {
          throw new RpcException("FAILED_PRECONDITION", "a change of voters to " + ids(status.getJointNewVotersList())
              + " is in progress; run member list and retry once it is done");
        }
        Set<Long> voters = new LinkedHashSet<>(status.getVotersList());
        voters.addAll(promoted);
        ChangeMembershipRequest request = ChangeMembershipRequest.newBuilder().addAllVoters(voters)
            .setExpectedMembershipIndex(expect != 0 ? expect : status.getMembershipLogIndex()).build();
        try {
          out.println(describe(client.call(AdminServiceGrpcClient.ChangeMembership, request)));
          return 0;
        } catch (RpcException e) {
          boolean catchingUp = e.status().equals("FAILED_PRECONDITION") && e.getMessage().contains("has not caught up");
          if (!catchingUp || System.nanoTime() - deadline > 0) throw e;
          if (!toldWaiting) err.println("member promote: " + e.getMessage() + "; waiting up to " + waitMs + " ms");
          toldWaiting = true;
        }
        sleep(PROMOTE_RETRY_MS);
      }
    }
  }

  /** Status from the leader (found through the node asked), whose view includes every member's progress. */
  private static StatusResponse leaderView(ClientOptions options) throws RpcException {
    StatusResponse status;
    try (RpcClient client = new RpcClient(options)) {
      status = client.call(AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance());
    }
    if (status.getRole().equals("leader") || status.getLeaderId() == 0) return status;
    for (MemberStatus m : status.getMembersList()) {
      if (m.getNodeId() != status.getLeaderId()) continue;
      ClientOptions atLeader = new ClientOptions(HostAndPort.parse(m.getClientAddress()), options.timeoutMs(), options.tls());
      try (RpcClient client = new RpcClient(atLeader)) {
        return client.call(AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance());
      } catch (RpcException e) {
        return status; // the leader's own view is unreachable: show the node's
      }
    }
    return status;
  }

  static String describe(MembershipResponse r) {
    return "membership: voters=" + ids(r.getVotersList()) + " learners=" + ids(r.getLearnersList())
        + " log_index=" + r.getLogIndex() + (r.getRemovedCount() == 0 ? "" : " removed=" + ids(r.getRemovedList()));
  }

  static String ids(List<Long> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static long expectIndex(Args args) throws Usage.Error {
    return nonNegative(args, "--expect-index", 0);
  }

  private static long nonNegative(Args args, String name, long defaultValue) throws Usage.Error {
    String text = args.option(name, null);
    if (text == null) return defaultValue;
    try {
      long value = Long.parseLong(text);
      if (value < 0) throw new Usage.Error("bad " + name + ": must be 0 or more, got " + value);
      return value;
    } catch (NumberFormatException e) {
      throw new Usage.Error("bad " + name + ": not a number: " + text);
    }
  }

  private static long nodeId(String text) throws Usage.Error {
    try {
      long id = Long.parseLong(text);
      if (id < 1) throw new Usage.Error("bad node id: must be 1 or more, got " + id);
      return id;
    } catch (NumberFormatException e) {
      throw new Usage.Error("bad node id: not a number: " + text);
    }
  }

  private static String address(String text, String what) throws Usage.Error {
    try {
      return HostAndPort.parse(text).toString();
    } catch (IllegalArgumentException e) {
      throw new Usage.Error("bad " + what + ": " + e.getMessage());
    }
  }

  private static void sleep(long ms) throws RpcException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException("CANCELLED", "interrupted");
    }
  }

  private static Set<String> with(Set<String> base, String... more) {
    Set<String> all = new java.util.HashSet<>(base);
    all.addAll(List.of(more));
    return all;
  }
}
