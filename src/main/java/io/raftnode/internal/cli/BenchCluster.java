package io.raftnode.internal.cli;

import io.raftnode.internal.transport.GrpcCalls;
import io.raftnode.proto.AdminServiceGrpcClient;
import io.raftnode.proto.StatusRequest;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fresh local 3-node cluster of separate node.jar processes for one benchmark run: its own temp data dirs, fsync
 * on, plaintext on loopback. The nodes run with the same heap settings the peer benchmarks use. More nodes may be
 * started to join it ({@link #startJoiner}).
 */
final class BenchCluster implements AutoCloseable {
  static final int SIZE = 3;
  private final Path dir;
  private final int portBase;
  private final List<Process> processes = new ArrayList<>();

  BenchCluster(Path dir, int portBase) {
    this.dir = dir;
    this.portBase = portBase;
  }

  int clientPort(int node) {
    return portBase + 10 + node;
  }

  Path dir() {
    return dir;
  }

  int peerPort(int node) {
    return portBase + node;
  }

  /** The metrics port of a node started with {@link #startJoiner}. */
  int metricsPort(int node) {
    return portBase + 20 + node;
  }

  /** Starts the nodes; {@code maxInflight} (empty = the default) sets replication.max_inflight_appends. */
  void start(Path jar, String path, String maxInflight, List<String> jvmOptions) throws IOException {
    start(jar, path, maxInflight, 0, jvmOptions);
  }

  /** As {@link #start(Path, String, String, List)}, with limits.max_store_bytes set (0 = the nodes' default). */
  void start(Path jar, String path, String maxInflight, long maxStoreBytes, List<String> jvmOptions) throws IOException {
    for (int id = 1; id <= SIZE; id++) launch(id, config(id, path, maxInflight, maxStoreBytes, true), jar, jvmOptions);
  }

  /**
   * Starts node {@code id} (above {@link #SIZE}) with {@code "members": {}}, to be added to the running cluster,
   * and with metrics on {@link #metricsPort}.
   */
  void startJoiner(int id, Path jar, List<String> jvmOptions) throws IOException {
    launch(id, config(id, "stream", "", 0, false), jar, jvmOptions);
  }

  private void launch(int id, String config, Path jar, List<String> jvmOptions) throws IOException {
    Path conf = Files.createDirectories(dir).resolve("node" + id + ".json");
    Files.writeString(conf, config);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A node out of heap exits at once with the JVM's message in its log, instead of lingering half-alive.
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "-conf", conf.toString()));
    processes.add(new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("node" + id + ".log").toFile())
        .start());
  }

  private String config(int id, String path, String maxInflight, long maxStoreBytes, boolean founder) {
    StringBuilder members = new StringBuilder();
    for (int m = 1; m <= SIZE && founder; m++) {
      if (m > 1) members.append(",\n");
      members.append("    \"").append(m).append("\": {\"peer_address\": \"127.0.0.1:").append(portBase + m)
          .append("\", \"client_address\": \"127.0.0.1:").append(clientPort(m)).append("\"}");
    }
    return "{\n"
        + "  \"node_id\": " + id + ",\n"
        + "  \"peer_address\": \"127.0.0.1:" + (portBase + id) + "\",\n"
        + "  \"client_address\": \"127.0.0.1:" + clientPort(id) + "\",\n"
        + (founder ? "" : "  \"metrics_address\": \"127.0.0.1:" + metricsPort(id) + "\",\n")
        + "  \"data_dir\": \"" + dir.resolve("node" + id) + "\",\n"
        + "  \"members\": {\n" + members + "\n  },\n"
        + "  \"replication\": {\"path\": \"" + path + "\""
        + (maxInflight.isEmpty() ? "" : ", \"max_inflight_appends\": " + Integer.parseInt(maxInflight)) + "}"
        + (maxStoreBytes == 0 ? "" : ",\n  \"limits\": {\"max_store_bytes\": " + maxStoreBytes + "}") + "\n"
        + "}\n";
  }

  /** Waits until every node names the same leader and that node says it leads; returns its id. */
  int awaitLeader(GrpcClient grpc, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      long agreed = -1;
      for (int id = 1; id <= SIZE; id++) {
        StatusResponse status = status(grpc, id);
        long leader = status == null ? 0 : status.getLeaderId();
        agreed = leader == 0 || (agreed != -1 && agreed != leader) ? 0 : leader;
        if (agreed == 0) break;
      }
      if (agreed > 0) {
        StatusResponse leader = status(grpc, (int) agreed);
        if (leader != null && leader.getRole().equals("leader")) return (int) agreed;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no leader within " + timeoutMs + " ms; see the node logs in " + dir);
  }

  StatusResponse status(GrpcClient grpc, int node) {
    try {
      return GrpcCalls.unary(grpc, SocketAddress.inetSocketAddress(clientPort(node), "127.0.0.1"),
              AdminServiceGrpcClient.Status, StatusRequest.getDefaultInstance(), 1000)
          .toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  /** CPU time used so far by each node process, in microseconds. */
  List<Long> cpuMicros() {
    List<Long> out = new ArrayList<>();
    for (Process p : processes) out.add(ProcStatus.cpuMicros(p.pid()));
    return out;
  }

  /** Peak resident set size of each node process in MiB (VmHWM), -1 when it cannot be read. */
  List<Long> peakRssMib() {
    List<Long> out = new ArrayList<>();
    for (Process p : processes) out.add(ProcStatus.peakRssKib(p.pid()) / 1024);
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) p.destroy();
    for (Process p : processes) {
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
