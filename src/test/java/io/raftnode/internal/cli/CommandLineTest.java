package io.raftnode.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage and config errors: exit code 2, a message on stderr, and no node or client started. */
class CommandLineTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... words) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(words), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Set<String> vertxThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.startsWith("vert.x-")).collect(Collectors.toSet());
  }

  /** Runs a command that must be rejected before anything starts. */
  private static Result rejected(String expectedMessage, String... words) {
    Set<String> before = vertxThreads();
    Result result = run(words);
    assertEquals(2, result.code(), result.err());
    assertEquals("", result.out());
    assertTrue(result.err().startsWith("raftnode: "), result.err());
    assertTrue(result.err().contains(expectedMessage), result.err());
    assertTrue(before.containsAll(vertxThreads()), "no Vert.x instance may be started for a rejected command");
    return result;
  }

  @Test
  void usageErrorsExitWith2AndPrintUsage() {
    String[][] cases = {
        {"no command given"},
        {"Unmatched argument at index 0: 'frob'", "frob"},
        {"Did you mean: raftnode status?", "stauts"},
        {"kv needs a subcommand", "kv"},
        {"Unmatched argument at index 1: 'list'", "kv", "list"},
        {"Missing required parameter: 'VALUE'", "kv", "put", "k"},
        {"Unmatched argument at index 4: 'extra'", "kv", "put", "k", "v", "extra"},
        {"Missing required parameter: 'KEY'", "kv", "get"},
        {"Unmatched argument at index 3: 'b'", "kv", "delete", "a", "b"},
        {"expected: kv cas KEY EXPECTED NEW", "kv", "cas", "k", "v"},
        {"expected: kv cas --absent KEY NEW", "kv", "cas", "--absent", "k", "old", "new"},
        {"bad --consistency \"strong\"", "kv", "get", "k", "--consistency", "strong"},
        {"Unknown options: '--consistency', 'lease'", "kv", "put", "k", "v", "--consistency", "lease"},
        {"Unknown option: '--absent'", "kv", "put", "--absent", "k", "v"},
        {"Unknown options: '--sever', '127.0.0.1:7201'\nPossible solutions: --server", "kv", "get", "k", "--sever",
            "127.0.0.1:7201"},
        {"Missing required parameter for option '--server'", "status", "--server"},
        {"option '--server' (HOST:PORT) should be specified only once", "status", "--server", "a:1", "--server", "b:2"},
        {"bad --server", "status", "--server", "127.0.0.1"},
        {"bad --timeout-ms: not a number", "status", "--timeout-ms", "soon"},
        {"bad --timeout-ms: must be 1 or more", "status", "--timeout-ms", "0"},
        {"Unmatched argument at index 1: 'now'", "status", "now"},
        {"Missing required parameter for option '--conf' (FILE)", "-conf"},
        {"Unmatched argument at index 2: 'b.json'", "-conf", "a.json", "b.json"},
        {"option '--conf' (FILE) should be specified only once", "-conf", "a.json", "--conf", "b.json"},
        {"-conf runs a node: give it no command", "-conf", "a.json", "status"},
        {"snapshot needs a subcommand: take", "snapshot"},
        {"bad node id: not a number: x", "transfer-leader", "x"},
        {"--ca, --cert and --key need --tls", "status", "--ca", "pom.xml"},
        {"--cert and --key go together", "kv", "get", "k", "--tls", "--cert", "pom.xml"},
        {"bad --ca: cannot read no-such-ca.pem", "status", "--tls", "--ca", "no-such-ca.pem"},
    };
    for (String[] c : cases) {
      Result result = rejected(c[0], java.util.Arrays.copyOfRange(c, 1, c.length));
      assertTrue(result.err().contains("Usage: raftnode"), result.err());
    }
  }

  @Test
  void helpGoesToStdout() {
    for (String[] words : new String[][] {{"help"}, {"--help"}, {"-h"}}) {
      Result result = run(words);
      assertEquals(0, result.code());
      assertTrue(result.out().startsWith("Usage: raftnode") && result.out().contains("transfer-leader"), result.out());
      assertEquals("", result.err());
    }
  }

  @Test
  void everyCommandHasItsOwnHelp() {
    String[][] commands = {{"kv", "get"}, {"kv", "cas"}, {"status"}, {"member", "promote"}, {"bench"},
        {"transfer-leader"}, {"snapshot", "take"}, {"snapshot"}};
    for (String[] command : commands) {
      String name = String.join(" ", command);
      List<String> words = new java.util.ArrayList<>(List.of(command));
      words.add("--help");
      Result result = run(words.toArray(String[]::new));
      assertEquals(0, result.code(), name);
      assertTrue(result.out().startsWith("Usage: raftnode " + name), result.out());
      if (command.length == 1) assertEquals(result.out(), run("help", name).out(), "help " + name);
    }
    assertTrue(run("kv", "get", "--help").out().contains("--consistency=C"));
  }

  /** README's command table is kept with the commands: every command a user can run appears in it. */
  @Test
  void readmeListsEveryCommand() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    List<String> commands = new java.util.ArrayList<>();
    leaves(Cli.commandLine(System.out, System.err), "", commands);
    assertTrue(commands.contains("snapshot take") && commands.contains("kv cas"), commands.toString());
    for (String command : commands) {
      assertTrue(readme.contains("java -jar target/node.jar " + command + " ")
          || readme.contains("java -jar target/node.jar " + command + "\n"), "README lacks " + command);
    }
  }

  private static void leaves(picocli.CommandLine line, String prefix, List<String> out) {
    for (var sub : line.getSubcommands().entrySet()) {
      String name = prefix + sub.getKey();
      if (sub.getValue().getSubcommands().isEmpty()) {
        out.add(name);
      } else {
        leaves(sub.getValue(), name + " ", out);
      }
    }
  }

  @Test
  void versionIsTheProjectVersion() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    java.util.regex.Matcher version = java.util.regex.Pattern
        .compile("<artifactId>raftnode</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertTrue(version.find());
    Result result = run("--version");
    assertEquals(0, result.code());
    assertEquals("raftnode " + version.group(1) + "\n", result.out());
  }

  @Test
  void optionValuesMayFollowAnEqualsSign() {
    Result result = run("kv", "get", "k", "--server=127.0.0.1:1", "--timeout-ms=2000", "--consistency=stale");
    assertEquals(1, result.code(), result.err());
    assertTrue(result.err().startsWith("error: UNAVAILABLE: cannot reach 127.0.0.1:1"), result.err());
    rejected("bad --timeout-ms: not a number: soon", "status", "--timeout-ms=soon");
  }

  @Test
  void aMissingConfigFileExitsWith2() {
    Path missing = dir.resolve("nonexistent.json");
    Result result = rejected(missing + ": config file not found", "-conf", missing.toString());
    assertEquals("raftnode: " + missing + ": config file not found\n", result.err());
  }

  @Test
  void anInvalidConfigExitsWith2NamingTheKey() throws Exception {
    Path file = dir.resolve("node.json");
    Files.writeString(file, Files.readString(Path.of("conf/node1.json")).replace("heartbeat_interval_ms", "heartbeat_ms"));
    rejected(file + ": unknown key \"heartbeat_ms\" in \"raft\"", "--conf", file.toString());
  }

  @Test
  void valuesStartingWithADashNeedTheSeparator() {
    rejected("Unknown option: '-x'", "kv", "put", "k", "v", "-x");
    // With "--" the same value is accepted; the call then fails to connect, which is not a usage error.
    Result result = run("kv", "put", "--server", "127.0.0.1:1", "--timeout-ms", "500", "--", "k", "-x");
    assertEquals(1, result.code(), result.err());
    // A negative number is a value, not an option: no command has options that look like one.
    assertEquals(1, run("kv", "put", "--server", "127.0.0.1:1", "--timeout-ms", "500", "k", "-5").code());
  }
}
