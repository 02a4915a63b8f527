package io.raftnode.internal.cli;

import java.io.PrintStream;
import java.util.List;

/** The {@code node.jar} entry point: runs a node ({@code -conf FILE}) or one client command ({@link Cli}). */
public final class Main {
  private Main() {}

  /** One line per record with millisecond timestamps: node logs are read to line up events across nodes. */
  private static final String LOG_FORMAT = "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n";

  public static void main(String[] argv) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
    }
    int code;
    // Every word but -conf names a client command, whose process reports its own failures.
    if (argv.length > 0 && !argv[0].startsWith("-conf") && !argv[0].startsWith("--conf")) RpcClient.quietLogging();
    try {
      code = run(List.of(argv), System.out, System.err);
    } catch (RuntimeException e) {
      // Exit explicitly: a client's Vert.x threads would otherwise keep a failed command's JVM alive.
      System.err.println("raftnode: unexpected error: " + e);
      e.printStackTrace();
      code = 1;
    }
    if (code != NodeCommand.RUNNING) System.exit(code);
  }

  /**
   * Runs one command line and returns its exit code (0 ok, 1 failed, 2 bad usage or config), or
   * {@link NodeCommand#RUNNING} once a node is up. Never exits the JVM, so tests can call it.
   */
  public static int run(List<String> words, PrintStream out, PrintStream err) {
    return Cli.run(words, out, err);
  }
}
