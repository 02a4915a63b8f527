package io.raftnode.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of real node.jar processes on loopback: generated configs (free ports, TLS off, one data dir each
 * under {@code baseDir}), each child's output appended to its own node.log, and the faults an operator can cause:
 * kill -9, SIGSTOP / SIGCONT, restart on the same data dir. Client threads may ask which nodes run while the test
 * thread causes faults.
 */
final class NodeProcesses implements AutoCloseable {

  private final Path jar;
  private final Path baseDir;
  private final int size;
  private final Map<Integer, Integer> peerPorts = new TreeMap<>();
  private final Map<Integer, Integer> clientPorts = new TreeMap<>();
  private final Map<Integer, Process> processes = new ConcurrentHashMap<>();
  private final Set<Integer> stopped = ConcurrentHashMap.newKeySet();
  private volatile List<String> jvmOptions = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  NodeProcesses(Path jar, Path baseDir, int size, int heartbeatMs, int electionMinMs, int electionMaxMs) throws IOException {
    this(jar, baseDir, size, 0, null, heartbeatMs, electionMinMs, electionMaxMs);
  }

  /**
   * {@code size} founding members (ids 1..size) and {@code joiners} more (the next ids) configured with
   * {@code "members": {}}, to be added while the cluster runs. With {@code tlsDir} (made by scripts/gen-certs.sh)
   * the peer ports run mTLS with nodeI.crt.
   */
  NodeProcesses(Path jar, Path baseDir, int size, int joiners, Path tlsDir, int heartbeatMs, int electionMinMs,
      int electionMaxMs) throws IOException {
    this(jar, baseDir, size, joiners, tlsDir, heartbeatMs, electionMinMs, electionMaxMs, "");
  }

  /** @param extraConfig more top-level config members, each line ending with a comma (e.g. a "limits" object) */
  NodeProcesses(Path jar, Path baseDir, int size, int joiners, Path tlsDir, int heartbeatMs, int electionMinMs,
      int electionMaxMs, String extraConfig) throws IOException {
    this.jar = jar;
    this.baseDir = baseDir;
    this.size = size;
    int total = size + joiners;
    List<Integer> ports = io.raftnode.testing.FreePorts.of(2 * total);
    for (int id = 1; id <= total; id++) {
      peerPorts.put(id, ports.get(2 * id - 2));
      clientPorts.put(id, ports.get(2 * id - 1));
    }
    StringBuilder members = new StringBuilder();
    for (int id = 1; id <= size; id++) {
      members.append(String.format("    \"%d\": {\"peer_address\": \"127.0.0.1:%d\", \"client_address\": \"127.0.0.1:%d\"}%s%n",
          id, peerPorts.get(id), clientPorts.get(id), id < size ? "," : ""));
    }
    for (int id = 1; id <= total; id++) {
      Path dir = Files.createDirectories(nodeDir(id));
      String tls = tlsDir == null ? "{\"enabled\": false}"
          : "{\"enabled\": true, \"cert\": \"" + tlsDir.resolve("node" + id + ".crt").toAbsolutePath() + "\", \"key\": \""
              + tlsDir.resolve("node" + id + ".key").toAbsolutePath() + "\", \"ca\": \""
              + tlsDir.resolve("ca.crt").toAbsolutePath() + "\"}";
      String config = "{\n"
          + "  \"node_id\": " + id + ",\n"
          + "  \"peer_address\": \"127.0.0.1:" + peerPorts.get(id) + "\",\n"
          + "  \"client_address\": \"127.0.0.1:" + clientPorts.get(id) + "\",\n"
          + "  \"data_dir\": \"" + dir.resolve("data").toAbsolutePath() + "\",\n"
          + "  \"members\": {\n" + (id <= size ? members : "") + "  },\n"
          + "  \"tls\": " + tls + ",\n"
          + "  \"client_tls\": {\"enabled\": false, \"require_client_cert\": false},\n"
          + extraConfig
          + "  \"raft\": {\"heartbeat_interval_ms\": " + heartbeatMs + ", \"election_timeout_min_ms\": " + electionMinMs
          + ", \"election_timeout_max_ms\": " + electionMaxMs + "}\n"
          + "}\n";
      Files.writeString(dir.resolve("node.json"), config);
    }
  }

  /** The JVM options of nodes started from now on (default: -Xmx256m, serial GC, C1 only). */
  void jvmOptions(String... options) {
    jvmOptions = List.of(options);
  }

  int peerPort(int id) {
    return peerPorts.get(id);
  }

  /** Deletes a node's data dir (the node must not run): it comes back empty, as after losing its disk. */
  void wipe(int id) throws IOException {
    if (isRunning(id)) throw new IllegalStateException("node " + id + " runs");
    Path data = nodeDir(id).resolve("data");
    if (!Files.exists(data)) return;
    try (var paths = Files.walk(data)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** Waits up to {@code seconds} for the node's process to exit; its exit code, or null while it runs. */
  Integer awaitExit(int id, long seconds) throws InterruptedException {
    Process p = processes.get(id);
    return p != null && p.waitFor(seconds, TimeUnit.SECONDS) ? p.exitValue() : null;
  }

  int size() {
    return size;
  }

  int clientPort(int id) {
    return clientPorts.get(id);
  }

  Path nodeDir(int id) {
    return baseDir.resolve("node" + id);
  }

  boolean isRunning(int id) {
    Process p = processes.get(id);
    return p != null && p.isAlive();
  }

  boolean isStopped(int id) {
    return stopped.contains(id);
  }

  void start(int id) throws IOException {
    if (isRunning(id)) throw new IllegalStateException("node " + id + " is already running");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "-conf", nodeDir(id).resolve("node.json").toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir(id).resolve("node.log").toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    processes.put(id, pb.start());
  }

  /** kill -9: the process dies at once, with whatever its disk holds. */
  void kill9(int id) throws Exception {
    Process p = processes.get(id);
    if (p == null || !p.isAlive()) return;
    signal("-KILL", p);
    p.waitFor(10, TimeUnit.SECONDS);
    stopped.remove(id);
  }

  /** SIGSTOP: the process freezes (no ticks, no answers) until {@link #resume}. */
  void pause(int id) throws Exception {
    signal("-STOP", processes.get(id));
    stopped.add(id);
  }

  /** SIGCONT. */
  void resume(int id) throws Exception {
    signal("-CONT", processes.get(id));
    stopped.remove(id);
  }

  private static void signal(String signal, Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(p.pid()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill " + signal + " " + p.pid() + " failed");
    }
  }

  /** The last lines of a node's log, for failure reports. */
  String logTail(int id, int lines) {
    try {
      List<String> all = Files.readAllLines(nodeDir(id).resolve("node.log"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    for (Process p : processes.values()) {
      // SIGKILL ends a stopped process too, so nothing is left behind.
      p.destroyForcibly();
    }
    for (Process p : processes.values()) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
