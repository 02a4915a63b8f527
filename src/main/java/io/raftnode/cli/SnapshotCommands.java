package io.raftnode.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code snapshot save|restore}: the backup commands, run through picocli. */
final class SnapshotCommands {
  private SnapshotCommands() {}

  static int run(List<String> words, PrintStream out, PrintStream err) {
    CommandLine group = new CommandLine(CommandSpec.create().name("snapshot").mixinStandardHelpOptions(true))
        .addSubcommand(new SnapshotSaveCommand())
        .addSubcommand(new SnapshotRestoreCommand());
    group.getCommandSpec().usageMessage().description("Backups: save a snapshot to a file, restore it into a new cluster.");
    group.setExecutionStrategy(new CommandLine.RunLast());
    group.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    if (words.isEmpty()) {
      group.usage(err);
      return 2;
    }
    return group.execute(words.toArray(String[]::new));
  }
}
