package io.raftnode.internal.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;

/** The top of the command line: {@code -conf FILE} runs a node, a subcommand talks to one. */
@Command(name = "raftnode", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = "A Raft node (-conf FILE), or a client of one (the commands below).",
    subcommands = {KvCommand.class, StatusCommand.class, MemberCommand.class, TransferLeaderCommand.class,
        SnapshotCommand.class, TopCommand.class, BenchCommand.class, BenchMembershipCommand.class,
        HelpCommand.class},
    footer = {"", "Run as: java -jar target/node.jar ARGS; \"raftnode help COMMAND\" or \"COMMAND --help\" for a "
        + "command's options.", "Exit codes: 0 ok, 1 call or start-up failed, 2 bad usage or bad config."})
final class RaftnodeCommand extends CliCommand {
  @Option(names = {"-conf", "--conf"}, paramLabel = "FILE", description = "run a node with this config file")
  String conf;

  @Override
  public Integer call() throws Usage.Error {
    if (conf == null) throw new Usage.Error("no command given");
    return NodeCommand.run(conf, out, err);
  }
}
