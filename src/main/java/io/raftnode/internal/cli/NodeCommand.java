package io.raftnode.internal.cli;

import io.raftnode.ClientService;
import io.raftnode.ConfigException;
import io.raftnode.NodeConfig;
import io.raftnode.RaftNodeVerticle;
import io.raftnode.internal.kv.KvStateMachine;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code -conf FILE}: validates the config, then runs one node until the JVM is told to stop. */
final class NodeCommand {
  /** Returned when the node is up: Main must not exit, the node's threads keep the JVM alive. */
  static final int RUNNING = -1;

  private static final long SHUTDOWN_WAIT_SECONDS = 10;

  private NodeCommand() {}

  /** Validates the config in {@code file} and starts the node; 2 for a bad config, 1 if it fails to start. */
  static int run(String file, PrintStream out, PrintStream err) {
    NodeConfig config;
    try {
      config = NodeConfig.load(Path.of(file));
    } catch (InvalidPathException e) {
      err.println("raftnode: " + file + ": not a valid path: " + e.getMessage());
      return 2;
    } catch (ConfigException e) {
      // Never fall back to defaults: a node started on the wrong identity or addresses can corrupt a cluster.
      err.println("raftnode: " + e.getMessage());
      return 2;
    }
    try {
      NodeLogging.configure(config.nodeId(), config.operations());
    } catch (IllegalArgumentException e) {
      err.println("raftnode: " + e.getMessage());
      return 2;
    }
    return start(config, out, err);
  }

  private static int start(NodeConfig config, PrintStream out, PrintStream err) {
    Vertx vertx = config.operations().metricsAddress() == null ? Vertx.vertx() : withMicrometerMetrics();
    try {
      vertx.deployVerticle(new RaftNodeVerticle(config, new KvStateMachine(), ClientService.kv(), ClientService.admin()))
          .toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String reason = cause.getMessage() != null ? cause.getMessage() : cause.toString();
      err.println("raftnode: node " + config.nodeId() + " failed to start: " + reason);
      close(vertx, err);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close(vertx, err);
      return 1;
    }
    // SIGTERM/SIGINT run shutdown hooks; closing Vert.x undeploys the node so it stops its servers and storage.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close(vertx, err);
      out.println("raftnode node " + config.nodeId() + " stopped");
      out.flush();
    }, "raftnode-shutdown"));
    out.println("raftnode node " + config.nodeId() + " started: peer " + config.peerAddress()
        + " client " + config.clientAddress() + " data " + config.dataDir()
        + (config.operations().metricsAddress() == null ? "" : " metrics " + config.operations().metricsAddress()));
    out.flush();
    return RUNNING;
  }

  /**
   * Vert.x with its own metrics (HTTP/2 servers and clients, event loops, pools) and the JVM's in Micrometer's
   * Prometheus registry, which the node's {@code /metrics} serves after its Raft metrics.
   */
  private static Vertx withMicrometerMetrics() {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory()).build();
  }

  private static void close(Vertx vertx, PrintStream err) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      err.println("raftnode: shutdown did not finish cleanly: " + e);
    }
  }
}
