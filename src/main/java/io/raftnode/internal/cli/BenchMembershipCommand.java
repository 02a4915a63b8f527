package io.raftnode.internal.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.client.GrpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-membership}: the cost of membership changes on fresh local clusters of node.jar processes (fsync on,
 * plaintext on loopback). {@code catch-up}: the time from AddLearner to caught up for a node joining a cluster
 * holding a large state ({@link BenchCatchUp}); {@code joint}: write throughput and latency before and around joint
 * changes under load ({@link BenchJointChanges}). Ends with the summary lines of every run.
 */
@Command(name = "bench-membership", sortOptions = false,
    description = "Measure a learner's catch-up on a large state and writes during joint membership changes"
        + " (docs/BENCHMARKS.md, \"Membership changes\").")
final class BenchMembershipCommand extends CliCommand {
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

  @Override
  public Integer call() throws Usage.Error {
    for (String part : parts) {
      if (!part.equals("catch-up") && !part.equals("joint")) throw new Usage.Error("unknown part " + part);
    }
    try {
      run();
      return 0;
    } catch (Exception e) {
      err.println("bench-membership failed: " + e);
      return 1;
    }
  }

  private void run() throws Exception {
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
  }
}
