package io.raftnode.examples.counter;

import io.raftnode.RaftNode;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * One counter node per process: {@code CounterProcess conf/node1.json}. Prints each leader change; the leader adds
 * 1 to the counter "ticks" every second and every node prints the value it holds, so killing the leader shows
 * another taking over and the counter going on. Stops on SIGTERM or Ctrl-C.
 */
public final class CounterProcess {
  private CounterProcess() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: CounterProcess CONFIG.json");
      System.exit(2);
    }
    Vertx vertx = Vertx.vertx();
    RaftNode node = CounterNodes.start(vertx, CounterNodes.readConfig(Path.of(args[0]))).await();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
    node.onLeaderChange(change -> System.out.println("node " + node.nodeId() + ": "
        + (change.leaderId() == 0 ? "no leader known" : "leader is node " + change.leaderId())
        + " in term " + change.term()));
    vertx.setPeriodic(1000, id -> node.status().onSuccess(status -> {
      if (status.leaderId() == node.nodeId()) {
        node.propose(CounterCommands.add("ticks", 1)).onSuccess(applied -> System.out.println(
            "node " + node.nodeId() + " (leader) ticks=" + CounterCommands.valueOf(applied.result())
                + " at index " + applied.index()));
      } else {
        node.query(CounterCommands.get("ticks")).onSuccess(value -> System.out.println(
            "node " + node.nodeId() + " ticks=" + CounterCommands.valueOf(value) + " applied " + status.appliedIndex()));
      }
    }));
  }
}
