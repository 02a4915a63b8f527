package io.raftnode.cli;

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
        {"unknown command \"frob\"", "frob"},
        {"kv needs a subcommand", "kv"},
        {"unknown kv subcommand \"list\"", "kv", "list"},
        {"expected: kv put KEY VALUE", "kv", "put", "k"},
        {"expected: kv put KEY VALUE", "kv", "put", "k", "v", "extra"},
        {"expected: kv get KEY", "kv", "get"},
        {"expected: kv delete KEY", "kv", "delete", "a", "b"},
        {"expected: kv cas KEY EXPECTED NEW", "kv", "cas", "k", "v"},
        {"expected: kv cas --absent KEY NEW", "kv", "cas", "--absent", "k", "old", "new"},
        {"bad --consistency \"strong\"", "kv", "get", "k", "--consistency", "strong"},
        {"--consistency applies to kv get only", "kv", "put", "k", "v", "--consistency", "lease"},
        {"--absent applies to kv cas only", "kv", "put", "--absent", "k", "v"},
        {"unknown option --sever", "kv", "get", "k", "--sever", "127.0.0.1:7201"},
        {"option --server needs a value", "status", "--server"},
        {"option --server given twice", "status", "--server", "a:1", "--server", "b:2"},
        {"bad --server", "status", "--server", "127.0.0.1"},
        {"bad --timeout-ms: not a number", "status", "--timeout-ms", "soon"},
        {"bad --timeout-ms: must be 1 or more", "status", "--timeout-ms", "0"},
        {"expected: status", "status", "now"},
        {"option -conf needs a value", "-conf"},
        {"expected: -conf FILE", "-conf", "a.json", "b.json"},
        {"give the config once", "-conf", "a.json", "--conf", "b.json"},
        {"--ca, --cert and --key need --tls", "status", "--ca", "pom.xml"},
        {"--cert and --key go together", "kv", "get", "k", "--tls", "--cert", "pom.xml"},
        {"bad --ca: cannot read no-such-ca.pem", "status", "--tls", "--ca", "no-such-ca.pem"},
    };
    for (String[] c : cases) {
      Result result = rejected(c[0], java.util.Arrays.copyOfRange(c, 1, c.length));
      assertTrue(result.err().contains("usage:"), result.err());
    }
  }

  @Test
  void helpGoesToStdout() {
    Result result = run("help");
    assertEquals(0, result.code());
    assertTrue(result.out().contains("usage:") && result.out().contains("kv get KEY"), result.out());
    assertEquals("", result.err());
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
    rejected("unknown option -5", "kv", "put", "k", "-5");
    // With "--" the same value is accepted; the call then fails to connect, which is not a usage error.
    Result result = run("kv", "put", "--server", "127.0.0.1:1", "--", "k", "-5");
    assertEquals(1, result.code(), result.err());
  }
}
