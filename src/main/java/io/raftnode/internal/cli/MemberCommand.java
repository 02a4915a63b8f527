package io.raftnode.internal.cli;

import io.raftnode.HostAndPort;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code member list|add-learner|promote|remove}: AdminService's membership calls. Any node accepts them (a
 * follower forwards a change to the leader); {@code list} asks the leader for its view of every member's progress.
 * Every subcommand checks its whole command line before it connects: a usage error never touches the network.
 */
@Command(name = "member", description = "List the members, add, promote or remove one.",
    subcommands = {MemberCommand.ListMembers.class, MemberCommand.AddLearner.class, MemberCommand.Promote.class,
        MemberCommand.Remove.class})
final class MemberCommand extends CliCommand {
  @Spec CommandSpec spec;

  private static final long DEFAULT_PROMOTE_WAIT_MS = 60_000;
  private static final long PROMOTE_RETRY_MS = 500;
  private static final String EXPECT_INDEX = "refused unless the membership is still the one at log index N "
      + "(member list shows it); 0 = any";

  @Override
  public Integer call() throws Usage.Error {
    throw needsSubcommand(spec);
  }

  @Command(name = "list", description = "Every member: addresses, voter or learner, progress, leader.")
  static final class ListMembers extends CliCommand {
    @Option(names = {"-w", "--write-out"}, paramLabel = "FORMAT", defaultValue = "table", description = "table or json")
    String format;
    @Mixin ClientFlags client;

    @Override
    public Integer call() throws Usage.Error {
      if (!format.equals("table") && !format.equals("json")) throw new Usage.Error("-w is table or json, got " + format);
      ClientOptions options = client.options();
      try {
        StatusResponse status = leaderView(options);
        out.print(format.equals("json") ? MemberTable.json(status) : MemberTable.table(status));
        return 0;
      } catch (RpcException e) {
        err.println(e.describe());
        return 1;
      }
    }
  }

  @Command(name = "add-learner", description = "Add node ID (started with \"members\": {}) as a learner.")
  static final class AddLearner extends CliCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1", paramLabel = "PEER_ADDRESS") String peer;
    @Parameters(index = "2", paramLabel = "CLIENT_ADDRESS") String clientAddress;
    @Option(names = "--expect-index", paramLabel = "N", description = EXPECT_INDEX) String expectIndex;
    @Mixin ClientFlags client;

    @Override
    public Integer call() throws Usage.Error {
      AddLearnerRequest request = AddLearnerRequest.newBuilder().setNodeId(nodeId(id))
          .setPeerAddress(address(peer, "PEER_ADDRESS")).setClientAddress(address(clientAddress, "CLIENT_ADDRESS"))
          .setExpectedMembershipIndex(nonNegative(expectIndex, "--expect-index", 0)).build();
      ClientOptions options = client.options();
      try (RpcClient rpc = new RpcClient(options)) {
        out.println(describe(rpc.call(AdminServiceGrpcClient.AddLearner, request)));
        return 0;
      } catch (RpcException e) {
        err.println(e.describe());
        return 1;
      }
    }
  }

  @Command(name = "remove", description = "Remove a learner or voter for good (its id is never used again).")
  static final class Remove extends CliCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--expect-index", paramLabel = "N", description = EXPECT_INDEX) String expectIndex;
    @Mixin ClientFlags client;

    @Override
    public Integer call() throws Usage.Error {
      RemoveMemberRequest request = RemoveMemberRequest.newBuilder().setNodeId(nodeId(id))
          .setExpectedMembershipIndex(nonNegative(expectIndex, "--expect-index", 0)).build();
      ClientOptions options = client.options();
      try (RpcClient rpc = new RpcClient(options)) {
        out.println(describe(rpc.call(AdminServiceGrpcClient.RemoveMember, request)));
        return 0;
      } catch (RpcException e) {
        err.println(e.describe());
        return 1;
      }
    }
  }

  @Command(name = "promote", description = "Make learners voters, waiting for them to catch up.")
  static final class Promote extends CliCommand {
    @Parameters(arity = "1..*", paramLabel = "ID") List<String> ids;
    @Option(names = "--expect-index", paramLabel = "N", description = EXPECT_INDEX) String expectIndex;
    @Option(names = "--wait-ms", paramLabel = "N",
        description = "how long to wait for the learners to catch up (default: " + DEFAULT_PROMOTE_WAIT_MS + ")")
    String waitMs;
    @Mixin ClientFlags client;

    @Override
    public Integer call() throws Usage.Error {
      Set<Long> promoted = new LinkedHashSet<>();
      for (String word : ids) promoted.add(nodeId(word));
      long expect = nonNegative(expectIndex, "--expect-index", 0);
      long wait = nonNegative(waitMs, "--wait-ms", DEFAULT_PROMOTE_WAIT_MS);
      ClientOptions options = client.options();
      try {
        return promote(promoted, options, expect, wait, out, err);
      } catch (RpcException e) {
        err.println(e.describe());
        return 1;
      }
    }
  }

  /**
   * The current voters plus {@code promoted} become the voters. Without --expect-index the change is a
   * compare-and-set on the membership the command read, so a change made meanwhile by someone else is never
   * overwritten. A learner that has not caught up yet is asked again every half second for up to {@code waitMs}.
   */
  private static int promote(Set<Long> promoted, ClientOptions options, long expect, long waitMs, PrintStream out,
      PrintStream err) throws RpcException {
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
  static StatusResponse leaderView(ClientOptions options) throws RpcException {
    StatusResponse status;
    try (RpcClient client = new RpcClient(options)) {
      status = client.call(AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance());
    }
    if (status.getRole().equals("leader") || status.getLeaderId() == 0) return status;
    for (MemberStatus m : status.getMembersList()) {
      if (m.getNodeId() != status.getLeaderId()) continue;
      ClientOptions atLeader = options.at(HostAndPort.parse(m.getClientAddress()));
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

  static long nonNegative(String text, String name, long defaultValue) throws Usage.Error {
    if (text == null) return defaultValue;
    try {
      long value = Long.parseLong(text);
      if (value < 0) throw new Usage.Error("bad " + name + ": must be 0 or more, got " + value);
      return value;
    } catch (NumberFormatException e) {
      throw new Usage.Error("bad " + name + ": not a number: " + text);
    }
  }

  static long nodeId(String text) throws Usage.Error {
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

}
