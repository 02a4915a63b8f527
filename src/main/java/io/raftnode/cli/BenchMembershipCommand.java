package io.raftnode.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.client.GrpcClient;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench-membership}: the cost of membership changes on fresh local clusters of node.jar processes (fsync on,
 * plaintext on loopback). {@code catch-up}: the time from AddLearner to caught up for a node joining a cluster
 * holding a large state ({@link BenchCatchUp}); {@code joint}: write throughput and latency before and around joint
 * changes under load ({@link BenchJointChanges}). Ends with the summary lines of every run.
 */
@Command(name = "bench-membership", mixinStandardHelpOptions = true,
    description = "Measure a learner's catch-up on a large state and writes during joint membership changes"
        + " (docs/BENCHMARKS.md, \"Membership changes\").")
final class BenchMembershipCommand implements Callable<Integer> {
  @Option(names = "--parts", split = ",", defaultValue = "catch-up,joint", description = "catch-up, joint or both")
  List<String> parts;

  @Option(names = "--reps", defaultValue = "1", description = "runs of each part")
  int reps;

  @Option(names = "--keys", defaultValue = "16384", description = "catch-up: distinct keys written before the add")
  int fillKeys;

  @Option(names = "--value-bytes", defaultValue = "65536", description = "catch-up: bytes per value")
  int fillValueBytes;

  @Option(names = "--fill-concurrency", defaultValue = "16", description = "catch-up: writes in flight while filling")
  int fillConcurrency;

  @Option(names = "--concurrency", defaultValue = "64", description = "joint: writes in flight")
  int concurrency;

  @Option(names = "--load-value-bytes", defaultValue = "128", description = "joint: bytes per value")
  int loadValueBytes;

  @Option(names = "--load-keys", defaultValue = "100000", description = "joint: key space")
  int loadKeys;

  @Option(names = "--warmup", defaultValue = "10", description = "joint: seconds of load before the first window")
  long warmup;

  @Option(names = "--window", defaultValue = "5", description = "joint: seconds of the window before each change")
  long window;

  @Option(names = "--port-base", defaultValue = "27500", description = "ports from here up (peer, client, metrics)")
  int portBase;

  @Option(names = "--node-jvm-options", defaultValue = "-Xmx3g -XX:+UseG1GC", description = "JVM options of each node")
  String nodeJvmOptions;

  @Spec
  CommandSpec spec;

  private final PrintStream out;

  BenchMembershipCommand(PrintStream out) {
    this.out = out;
  }

  /** Runs the command line {@code words} (after the command's name); its exit code. */
  static int run(List<String> words, PrintStream out, PrintStream err) {
    CommandLine line = new CommandLine(new BenchMembershipCommand(out));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    return line.execute(words.toArray(String[]::new));
  }

  @Override
  public Integer call() throws Exception {
    for (String part : parts) {
      if (!part.equals("catch-up") && !part.equals("joint")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "unknown part " + part);
      }
    }
    Path jar = Path.of(BenchMembershipCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path root = Files.createTempDirectory("raftnode-bench-membership.");
    List<String> jvm = List.of(nodeJvmOptions.trim().split("\\s+"));
    out.println("bench-membership: data under " + root);
    List<String> summary = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    GrpcClient grpc = GrpcClient.client(vertx,
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      for (int rep = 0; rep < reps; rep++) {
        if (parts.contains("catch-up")) {
          summary.add(new BenchCatchUp(vertx, grpc, out).run(jar, root.resolve("catch-up-" + rep), portBase, fillKeys,
              fillValueBytes, fillConcurrency, jvm));
        }
        if (parts.contains("joint")) {
          summary.addAll(new BenchJointChanges(vertx, grpc, out).run(jar, root.resolve("joint-" + rep), portBase,
              concurrency, loadValueBytes, loadKeys, warmup, window, jvm));
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    summary.forEach(out::println);
    return 0;
  }
}
