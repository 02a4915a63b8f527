package io.raftnode.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Carries out the faults of a {@link FaultSchedule} on a running simulation, each undone after its duration. */
final class FaultInjector {
  private final SimClock clock;
  private final Map<Long, SimNode> nodes;
  private final SimNetwork network;
  private final Trace trace;
  private final long faultEnd;
  private final SimOperator operator;

  FaultInjector(SimClock clock, Map<Long, SimNode> nodes, SimNetwork network, Trace trace, long faultEnd,
      SimOperator operator) {
    this.operator = operator;
    this.clock = clock;
    this.nodes = nodes;
    this.network = network;
    this.trace = trace;
    this.faultEnd = faultEnd;
  }

  void inject(FaultSchedule.Fault f) {
    if (clock.now() >= faultEnd) return;
    Random pick = new Random(f.pick());
    List<Long> ids = new ArrayList<>(nodes.keySet());
    long victim = ids.get(pick.nextInt(ids.size()));
    long leader = Simulation.leaderOf(nodes);
    if (leader == 0) leader = victim;
    trace.add(clock.now(), 0, "fault " + f + " (leader " + leader + ")");
    switch (f.kind()) {
      case CRASH_LEADER -> crashFor(leader, f.durationMs());
      // A third of these restart at once (a supervisor), well within an election timeout of the crash.
      case CRASH_NODE -> crashFor(victim, pick.nextInt(3) == 0 ? 1 + (long) (100 * f.severity()) : f.durationMs());
      case ISOLATE_LEADER -> ruleFor("isolate " + leader, SimNetwork.across(Set.of(leader)), 1.0, f.durationMs());
      case PARTITION -> {
        Set<Long> side = new HashSet<>();
        int size = 1 + pick.nextInt(ids.size() / 2);
        while (side.size() < size) side.add(ids.get(pick.nextInt(ids.size())));
        ruleFor("partition " + side, SimNetwork.across(side), 1.0, f.durationMs());
      }
      case ASYMMETRIC_LOSS -> {
        long from = pick.nextBoolean() ? leader : victim;
        long to = ids.get(pick.nextInt(ids.size()));
        if (to == from) to = ids.get((ids.indexOf(from) + 1) % ids.size());
        long a = from;
        long b = to;
        double loss = pick.nextBoolean() ? 1.0 : 0.3 + 0.7 * f.severity();
        ruleFor("loss " + a + "->" + b, (x, y) -> x == a && y == b, loss, f.durationMs());
      }
      case SYMMETRIC_LOSS -> ruleFor("loss everywhere", (x, y) -> true, 0.05 + 0.35 * f.severity(), f.durationMs());
      case SLOW_NETWORK -> {
        network.setDelays(1, 20 + (int) (180 * f.severity()), 0.05 + 0.2 * f.severity());
        clock.after(f.durationMs(), () -> network.setDelays(1, 10, 0.01));
      }
      case PAUSE_NODE -> nodes.get(pick.nextBoolean() ? leader : victim).pause(clock.now() + f.durationMs());
      case SNAPSHOT -> nodes.get(pick.nextBoolean() ? leader : victim).takeSnapshot();
      case CRASH_DURING_INSTALL -> crashDuringInstall(pick, f.durationMs());
      case TRANSFER_LEADER -> transfer(pick.nextInt(5) == 0 ? victim : leader, pick, f.durationMs());
      case ADD_NODE -> operator.enqueue(SimOperator.Scenario.ADD_NODE, f.pick());
      case REMOVE_VOTER -> operator.enqueue(SimOperator.Scenario.REMOVE_VOTER, f.pick());
      case DEMOTE_VOTER -> operator.enqueue(SimOperator.Scenario.DEMOTE_VOTER, f.pick());
      case REPLACE_NODE -> operator.enqueue(SimOperator.Scenario.REPLACE_NODE, f.pick());
      case CRASH_DURING_JOINT -> crashDuringJoint(pick, f.durationMs());
      default -> throw new IllegalStateException("unknown fault " + f.kind());
    }
  }

  /**
   * Crashes {@code id} for a while. The crash waits (a little) for a moment when the node has writes not yet
   * durable, so that most crashes really lose unsynced data.
   */
  private void crashFor(long id, long durationMs) {
    crashFor(id, durationMs, 0);
  }

  private void crashFor(long id, long durationMs, int waited) {
    SimNode n = nodes.get(id);
    if (!n.up) return;
    if (n.disk.pendingWrites() == 0 && waited < 100 && clock.now() < faultEnd) {
      clock.after(1, () -> crashFor(id, durationMs, waited + 1));
      return;
    }
    n.crash();
    clock.after(durationMs, () -> {
      if (!n.up) n.start();
    });
  }

  /**
   * Until {@code durationMs} from now, the first node to start installing a snapshot crashes a random moment
   * later, usually before the install is durable; it restarts a while after.
   */
  private void crashDuringInstall(Random pick, long durationMs) {
    long until = clock.now() + durationMs;
    long delay = pick.nextInt(15);
    long down = 1 + pick.nextInt(500);
    boolean[] done = {false};
    for (SimNode n : nodes.values()) {
      n.onInstall = installing -> {
        if (done[0] || clock.now() > until || clock.now() >= faultEnd) return;
        done[0] = true;
        trace.add(clock.now(), 0, "fault: node " + installing.id + " crashes " + delay + " ms into a snapshot install");
        int life = installing.incarnation;
        clock.after(delay, () -> {
          // The faults stop at faultEnd: a crash due after it would outlast the heal.
          if (installing.incarnation != life || !installing.up || clock.now() >= faultEnd) return;
          installing.stats.crashesDuringInstall++;
          installing.crash();
          clock.after(down, () -> {
            if (!installing.up) installing.start();
          });
        });
      };
    }
  }

  /**
   * The operator starts a change of voters; until {@code durationMs} from now, the first leader seen holding a
   * joint membership crashes a random moment later (before or after the joint entry commits), and restarts a while
   * after. The next leader must finish the change.
   */
  private void crashDuringJoint(Random pick, long durationMs) {
    long until = clock.now() + durationMs;
    long delay = pick.nextInt(15);
    long down = 1 + pick.nextInt(500);
    boolean[] done = {false};
    for (SimNode n : nodes.values()) {
      n.onJoint = leader -> {
        if (done[0] || clock.now() > until || clock.now() >= faultEnd) return;
        done[0] = true;
        trace.add(clock.now(), 0, "fault: leader " + leader.id + " crashes " + delay + " ms into a joint membership");
        int life = leader.incarnation;
        clock.after(delay, () -> {
          if (leader.incarnation != life || !leader.up || clock.now() >= faultEnd) return;
          leader.stats.crashesDuringJoint++;
          leader.crash();
          clock.after(down, () -> {
            if (!leader.up) leader.start();
          });
        });
      };
    }
    operator.enqueue(pick.nextBoolean() ? SimOperator.Scenario.ADD_NODE : SimOperator.Scenario.REMOVE_VOTER,
        pick.nextLong());
  }

  /** TransferLeadership on {@code at}: to 0, to a random node, or to a node that is down. */
  private void transfer(long at, Random pick, long durationMs) {
    List<Long> ids = new ArrayList<>(nodes.keySet());
    long to;
    switch (pick.nextInt(3)) {
      case 0 -> to = 0;
      case 1 -> to = ids.get(pick.nextInt(ids.size()));
      default -> {
        List<Long> down = ids.stream().filter(i -> !nodes.get(i).up).toList();
        if (down.isEmpty()) {
          to = ids.get(pick.nextInt(ids.size()));
          if (to == at) to = ids.get((ids.indexOf(at) + 1) % ids.size());
          nodes.get(to).crash(); // crashFor would wait for pending writes: the transfer must find it down
          long target = to;
          clock.after(durationMs, () -> {
            if (!nodes.get(target).up) nodes.get(target).start();
          });
        } else {
          to = down.get(pick.nextInt(down.size()));
        }
      }
    }
    trace.add(clock.now(), 0, "operator: transfer leadership on node " + at + " to " + to);
    nodes.get(at).transferLeadership(to);
  }

  private void ruleFor(String name, java.util.function.BiPredicate<Long, Long> link, double loss, long durationMs) {
    int rule = network.addRule(name, link, loss);
    clock.after(durationMs, () -> network.remove(rule));
  }
}
