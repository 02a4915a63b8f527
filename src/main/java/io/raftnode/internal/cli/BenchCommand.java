package io.raftnode.internal.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: for each client API, each replication path and each concurrency, starts a fresh local 3-node cluster (separate
 * processes, fsync on), drives Puts of fixed-size values at the leader for a warm-up and a measured window, and
 * prints throughput, latency percentiles and each node's peak RSS. Ends with one summary line per run.
 */
@Command(name = "bench", sortOptions = false,
    description = "Benchmark a fresh local 3-node cluster of node.jar processes (docs/BENCHMARKS.md).")
final class BenchCommand extends CliCommand {
  @Option(names = "--concurrency", paramLabel = "LIST", defaultValue = "1,64",
      description = "writes in flight, one run each (default: ${DEFAULT-VALUE})")
  String concurrency;
  @Option(names = "--paths", paramLabel = "LIST", defaultValue = "stream",
      description = "replication paths: stream, unary (default: ${DEFAULT-VALUE})")
  String paths;
  @Option(names = "--clients", paramLabel = "LIST", defaultValue = "session",
      description = "client APIs: session, unary (default: ${DEFAULT-VALUE})")
  String clients;
  @Option(names = "--request-ids", paramLabel = "BOOL", defaultValue = "true", arity = "1",
      description = "whether the client's writes carry request ids, which the nodes keep for exactly-once writes "
          + "(default: ${DEFAULT-VALUE}; peers' benchmarks keep no such record)")
  boolean requestIds;
  @Option(names = "--via", paramLabel = "NODE", defaultValue = "leader",
      description = "the node the client calls: leader, or follower (which forwards to the leader; the client is "
          + "told not to follow the leader) (default: ${DEFAULT-VALUE})")
  String via;
  @Option(names = "--warmup", paramLabel = "S", defaultValue = "60",
      description = "seconds before measuring: three nodes' JIT compilers on two cores were still busy 45 s in"
          + " (default: ${DEFAULT-VALUE})")
  long warmup;
  @Option(names = "--duration", paramLabel = "S", defaultValue = "20",
      description = "measured seconds (default: ${DEFAULT-VALUE})")
  long duration;
  @Option(names = "--reps", paramLabel = "N", defaultValue = "1", description = "repetitions (default: ${DEFAULT-VALUE})")
  int reps;
  @Option(names = "--value-bytes", paramLabel = "N", defaultValue = "128") int valueBytes;
  @Option(names = "--keys", paramLabel = "N", defaultValue = "100000") int keys;
  @Option(names = "--port-base", paramLabel = "PORT", defaultValue = "27400") int portBase;
  @Option(names = "--max-inflight", paramLabel = "N", defaultValue = "",
      description = "the nodes' replication.max_inflight_appends (default: the config's)")
  String maxInflight;
  @Option(names = "--node-jvm-options", paramLabel = "OPTIONS", defaultValue = "-Xms1g -Xmx1g -XX:+UseG1GC",
      description = "the nodes' JVM options (default: ${DEFAULT-VALUE})")
  String nodeJvmOptions;

  @Override
  public Integer call() throws Usage.Error {
    List<Integer> concurrencies = ints(concurrency);
    List<String> pathList = List.of(paths.split(","));
    for (String path : pathList) {
      if (!path.equals("stream") && !path.equals("unary")) throw new Usage.Error("unknown path " + path);
    }
    List<String> clientList = List.of(clients.split(","));
    for (String client : clientList) {
      if (!BenchPuts.names().contains(client)) throw new Usage.Error("unknown client " + client);
    }
    if (!via.equals("leader") && !via.equals("follower")) throw new Usage.Error("--via takes leader or follower: " + via);
    List<String> jvm = List.of(nodeJvmOptions.trim().split("\\s+"));
    try {
      Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path root = Files.createTempDirectory("raftnode-bench.");
      out.printf(Locale.ROOT, "fsync: 4KiB append+fsync per_s=%.0f dir=%s%n",
          FsyncProbe.appendsWithFsyncPerSecond(root, 2000), root);
      double large = FsyncProbe.appendsWithFsyncPerSecond(root, 2000, 1 << 20);
      // The three local nodes share this disk: each can write at most a third of its bandwidth.
      out.printf(Locale.ROOT, "fsync: 1MiB append+fsync per_s=%.0f MiB_per_s=%.0f per_node_MiB_per_s=%.0f%n",
          large, large, large / 3);
      List<String> summary = new ArrayList<>();
      for (int rep = 0; rep < reps; rep++) {
        for (String client : clientList) {
          for (String path : pathList) {
            for (int c : concurrencies) {
              summary.add(runOnce(jar, root.resolve("run-" + summary.size()), portBase, path, client, via, requestIds,
                  maxInflight, c, warmup, duration, valueBytes, keys, jvm, out));
            }
          }
        }
      }
      summary.forEach(out::println);
      return 0;
    } catch (Exception e) {
      err.println("bench failed: " + e);
      return 1;
    }
  }

  /**
   * A store quota the bench's key space fits in (an 8-byte key, the value and 73 bytes of bookkeeping a key, plus
   * room), so a run measures writes rather than the quota's refusals, but at most half the nodes' heap (-Xmx), past
   * which the store is refused as it should be. The nodes' default quota (a quarter of the heap) is below the
   * 400 MiB of 100,000 4 KiB values on a 1 GiB heap, which SOFAJRaft's benchmark nodes hold.
   */
  private static final Pattern MAX_HEAP = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)");

  static long storeQuotaFor(int keys, int valueBytes, List<String> jvmOptions) {
    long wanted = (long) keys * (8 + valueBytes + 73) + (64L << 20);
    long heap = 0;
    for (String option : jvmOptions) {
      Matcher m = MAX_HEAP.matcher(option);
      if (m.matches()) heap = Long.parseLong(m.group(1)) << switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "k" -> 10;
        case "m" -> 20;
        case "g" -> 30;
        default -> 0;
      };
    }
    return heap == 0 ? wanted : Math.min(wanted, heap / 2);
  }

  private static String runOnce(Path jar, Path dir, int portBase, String path, String client, String via, boolean requestIds,
      String maxInflight, int concurrency, long warmup, long duration, int valueBytes, int keys, List<String> jvm, PrintStream out)
      throws Exception {
    Files.createDirectories(dir);
    Vertx vertx = Vertx.vertx();
    GrpcClient grpc = GrpcClient.client(vertx,
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try (BenchCluster cluster = new BenchCluster(dir, portBase)) {
      cluster.start(jar, path, maxInflight, storeQuotaFor(keys, valueBytes, jvm), jvm);
      int leader = cluster.awaitLeader(grpc, 60_000);
      boolean viaFollower = via.equals("follower");
      int target = viaFollower ? leader % 3 + 1 : leader;
      SocketAddress address = SocketAddress.inetSocketAddress(cluster.clientPort(target), "127.0.0.1");
      long[][] cpu = new long[2][];
      BenchLoad.Result r = new BenchLoad(vertx, address, client, concurrency, keys, valueBytes).requestIds(requestIds)
          .followLeader(!viaFollower)
          .onWindow(() -> cpu[0] = cpuNow(cluster), () -> cpu[1] = cpuNow(cluster))
          .run(warmup, duration);
      int leaderAfter = cluster.awaitLeader(grpc, 10_000);
      List<Long> rss = cluster.peakRssMib();
      String ids = (requestIds ? "" : " request_ids=false") + (viaFollower ? " via=n" + target : "");
      out.printf(Locale.ROOT, "run: path=%s client=%s%s C=%d window=%ds writes=%d writes_per_s=%.0f p50_ms=%.3f p99_ms=%.3f "
              + "p999_ms=%.3f max_ms=%.3f errors=%d leader=n%d%s peak_rss_mib=n1:%d,n2:%d,n3:%d cpu_us_per_write=%s%n",
          path, client, ids, concurrency, duration, r.writes(), r.writesPerSecond(), r.percentileMs(0.5), r.percentileMs(0.99),
          r.percentileMs(0.999), r.percentileMs(1.0), r.errors(), leader,
          leaderAfter == leader ? "" : " leader_end=n" + leaderAfter, rss.get(0), rss.get(1), rss.get(2),
          cpuPerWrite(cpu[0], cpu[1], r.writes()));
      // The summary line keeps its documented form, ending in path=; the client API goes just before it.
      return String.format(Locale.ROOT, "bench: C=%d writes_per_s=%.0f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f errors=%d "
              + "%sclient=%s path=%s", concurrency, r.writesPerSecond(), r.percentileMs(0.5), r.percentileMs(0.99),
          r.percentileMs(0.999), r.errors(), ids.isEmpty() ? "" : ids.substring(1) + " ", client, path);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /** CPU time of each node and of this (client) process, in microseconds: [n1, n2, n3, client]. */
  private static long[] cpuNow(BenchCluster cluster) {
    List<Long> nodes = cluster.cpuMicros();
    return new long[] {nodes.get(0), nodes.get(1), nodes.get(2), ProcStatus.cpuMicros(ProcessHandle.current().pid())};
  }

  /** CPU microseconds each process spent per measured write: what a write costs, whatever else the machine does. */
  private static String cpuPerWrite(long[] start, long[] end, long writes) {
    if (start == null || end == null || writes == 0) return "n/a";
    String[] names = {"n1", "n2", "n3", "client"};
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      if (i > 0) out.append(',');
      out.append(names[i]).append(':').append(String.format(Locale.ROOT, "%.1f", (end[i] - start[i]) / (double) writes));
    }
    return out.toString();
  }

  private static List<Integer> ints(String csv) throws Usage.Error {
    List<Integer> out = new ArrayList<>();
    for (String part : csv.split(",")) {
      try {
        out.add(Integer.parseInt(part.trim()));
      } catch (NumberFormatException e) {
        throw new Usage.Error("not a number: " + part);
      }
    }
    return out;
  }

}
