package io.raftnode.internal.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the picocli command line and runs one: every usage error, whether picocli's or a command's own
 * {@link Usage.Error}, prints "raftnode: MESSAGE", any suggestions for a mistyped word and the command's help to
 * stderr and exits with 2.
 */
final class Cli {
  static final int USAGE = 2;
  private static final int USAGE_WIDTH = 110;

  private Cli() {}

  static int run(List<String> words, PrintStream out, PrintStream err) {
    PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
    CommandLine line = commandLine(out, err);
    line.setOut(outWriter);
    line.setErr(errWriter);
    try {
      return line.execute(words.toArray(String[]::new));
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  static CommandLine commandLine(PrintStream out, PrintStream err) {
    RaftnodeCommand root = new RaftnodeCommand();
    root.streams(out, err);
    CommandLine line = new CommandLine(root, new Factory(out, err));
    addHelpOption(line);
    line.setUsageHelpWidth(USAGE_WIDTH);
    line.setExecutionStrategy(Cli::execute);
    line.setParameterExceptionHandler(Cli::usageError);
    line.setExecutionExceptionHandler((e, failed, parsed) -> {
      if (e instanceof Usage.Error usage) return usageError(new ParameterException(failed, usage.getMessage()), null);
      throw e;
    });
    return line;
  }

  /** Runs the last command named; {@code -conf} runs a node and takes no command besides. */
  private static int execute(CommandLine.ParseResult parsed) {
    if (parsed.hasSubcommand() && parsed.hasMatchedOption("--conf")) {
      throw new ParameterException(parsed.commandSpec().commandLine(), "-conf runs a node: give it no command");
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine failed = e.getCommandLine();
    PrintWriter err = failed.getErr();
    err.println("raftnode: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    failed.usage(err);
    return USAGE;
  }

  /**
   * {@code -h}/{@code --help} on every command (the top one has them with {@code --version}), and synopses that say
   * [OPTIONS] instead of listing every client option again.
   */
  private static void addHelpOption(CommandLine line) {
    CommandSpec spec = line.getCommandSpec();
    spec.usageMessage().abbreviateSynopsis(true);
    if (spec.parent() != null && spec.findOption("--help") == null) {
      spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help").build());
    }
    line.getSubcommands().values().forEach(Cli::addHelpOption);
  }

  /** Creates each command with the streams it prints to. */
  private record Factory(PrintStream out, PrintStream err) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      K made = CommandLine.defaultFactory().create(type);
      if (made instanceof CliCommand command) command.streams(out, err);
      return made;
    }
  }
}
