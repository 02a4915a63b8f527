package io.raftnode.internal.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command of the {@code node.jar} command line. Its result is the exit code (0 ok, 1 the call failed); it throws
 * {@link Usage.Error} for a command line that parsed but makes no sense, which exits with 2 before anything
 * connects. {@link Cli} hands it the streams to print to, so tests can capture them.
 */
abstract class CliCommand implements Callable<Integer> {
  protected PrintStream out = System.out;
  protected PrintStream err = System.err;

  final void streams(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public abstract Integer call() throws Usage.Error;

  /** The error of a command group (kv, member, snapshot) given without one of its subcommands. */
  static Usage.Error needsSubcommand(CommandSpec group) {
    return new Usage.Error(group.name() + " needs a subcommand: " + String.join(", ", group.subcommands().keySet()));
  }
}
