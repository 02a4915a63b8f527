package io.raftnode.internal.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code snapshot ...}: a node's snapshots. A command group only: each subcommand is an @Command class of its own
 * (SnapshotTakeCommand, SnapshotSaveCommand, SnapshotRestoreCommand) and joins the group by being listed in {@code subcommands}.
 */
@Command(name = "snapshot", description = "Work with a node's snapshots.",
    subcommands = {SnapshotTakeCommand.class, SnapshotSaveCommand.class, SnapshotRestoreCommand.class})
final class SnapshotCommand extends CliCommand {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Usage.Error {
    throw needsSubcommand(spec);
  }
}
