package io.raftnode.cluster;

import io.raftnode.HostAndPort;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.vertx.core.Vertx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A node.jar child process (node 2) that is not in its config's members: it starts empty, never stands for
 * election and waits for a leader (node 1, played by the test) to send it a snapshot.
 */
final class FollowerProcess implements AutoCloseable {
  final HostAndPort peer;
  final HostAndPort client;
  final HostAndPort leaderPeer;
  final HostAndPort leaderClient;
  final Process process;
  final KvTestClient kv;

  FollowerProcess(Path jar, Path dir, String heap, Vertx vertx) throws Exception {
    int[] ports = io.raftnode.testing.FreePorts.of(4).stream().mapToInt(Integer::intValue).toArray();
    peer = HostAndPort.parse("127.0.0.1:" + ports[0]);
    client = HostAndPort.parse("127.0.0.1:" + ports[1]);
    leaderPeer = HostAndPort.parse("127.0.0.1:" + ports[2]);
    leaderClient = HostAndPort.parse("127.0.0.1:" + ports[3]);
    Files.createDirectories(dir);
    Path config = dir.resolve("follower.json");
    Files.writeString(config, "{\n"
        + "  \"node_id\": 2,\n"
        + "  \"peer_address\": \"" + peer + "\",\n"
        + "  \"client_address\": \"" + client + "\",\n"
        + "  \"data_dir\": \"" + dir.resolve("follower-data").toAbsolutePath() + "\",\n"
        + "  \"members\": {\"1\": {\"peer_address\": \"" + leaderPeer + "\", \"client_address\": \"" + leaderClient
        + "\"}},\n"
        + "  \"tls\": {\"enabled\": false}\n"
        + "}\n");
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    process = new ProcessBuilder(java, "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError",
        "-jar", jar.toAbsolutePath().toString(), "-conf", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("follower.log").toFile()).start();
    kv = new KvTestClient(vertx, client, PeerCalls.plaintext());
    TestCluster.awaitCondition("the follower answers", () -> {
      if (!process.isAlive()) throw new AssertionError("the follower exited; see " + dir.resolve("follower.log"));
      return kv.status() != null;
    });
  }

  /** The membership a snapshot for this follower carries: node 1 the voter, node 2 a learner. */
  Membership membership() {
    return new Membership(List.of(Set.of(1L)), new TreeMap<>(Map.of(
        1L, new Node(leaderPeer.toString(), leaderClient.toString()),
        2L, new Node(peer.toString(), client.toString()))));
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
    kv.close();
  }
}
