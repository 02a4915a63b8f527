package io.raftnode.examples.counter;

import io.raftnode.Applied;
import io.raftnode.KnownLeader;
import io.raftnode.RaftNode;
import io.raftnode.RaftNodeVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Three counter nodes in one JVM (conf/node1..3.json): waits for a leader, adds to a counter there, reads it back
 * from every node at the write's index, hands leadership on and adds again, then stops.
 */
public final class CounterDemo {
  private CounterDemo() {}

  public static void main(String[] args) throws Exception {
    Path confDir = Path.of(args.length > 0 ? args[0] : "conf");
    Vertx vertx = Vertx.vertx();
    try {
      List<Future<RaftNodeVerticle>> starting = new ArrayList<>();
      for (int id = 1; id <= 3; id++) {
        starting.add(CounterNodes.start(vertx, CounterNodes.readConfig(confDir.resolve("node" + id + ".json"))));
      }
      List<RaftNode> nodes = new ArrayList<>();
      for (Future<RaftNodeVerticle> node : starting) nodes.add(node.await());

      RaftNode leader = leader(nodes);
      System.out.println("leader: node " + leader.nodeId());
      Applied added = leader.propose(CounterCommands.add("visits", 5)).await();
      System.out.println("added 5 at index " + added.index() + ": visits=" + CounterCommands.valueOf(added.result()));
      for (RaftNode node : nodes) {
        // Read-your-writes on any node: wait until it applied the write, then read locally.
        byte[] value = node.query(CounterCommands.get("visits"), added.index(), 5_000).await();
        System.out.println("node " + node.nodeId() + " reads visits=" + CounterCommands.valueOf(value));
      }
      long next = leader.transferLeadership(0).await();
      System.out.println("leadership moved to node " + next);
      Applied again = leader(nodes).propose(CounterCommands.add("visits", 1)).await();
      System.out.println("added 1 at index " + again.index() + ": visits=" + CounterCommands.valueOf(again.result()));
    } finally {
      vertx.close().await();
    }
  }

  /** The node that leads, once one does. */
  static RaftNode leader(List<RaftNode> nodes) {
    KnownLeader known = nodes.get(0).leaderKnown().await();
    return nodes.stream().filter(node -> node.nodeId() == known.id()).findFirst().orElseThrow();
  }
}
