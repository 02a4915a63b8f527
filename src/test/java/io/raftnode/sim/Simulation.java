package io.raftnode.sim;

import io.raftnode.core.CoreConfig;
import io.raftnode.core.Role;
import io.raftnode.model.Entry;
import io.raftnode.model.EntryPayload;
import io.raftnode.model.LogId;
import io.raftnode.model.Membership;
import io.raftnode.model.Node;
import io.raftnode.statemachine.KvCodec;
import io.raftnode.statemachine.KvCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * One deterministic run from one seed: N nodes (3 or 5), clients, a fault phase following a {@link FaultSchedule},
 * then a liveness phase on a healed network in which a leader must emerge, a write must complete and every node
 * must catch up within a bounded simulated time. Invariants are checked at every step; the client history must be
 * linearizable at the end. Everything random comes from the seed, so a failing seed fails the same way again.
 */
final class Simulation {

  /** The shape of a run; {@link #forSeed} derives it from the seed. */
  record Options(long seed, int nodes, long faultPhaseMs, long livenessBoundMs, int clients, int keys) {}

  /** What one run did. */
  record Result(long seed, int nodes, long steps, int ops, long unknownOps, long lostWrites, long maxTerm,
      long committed, long messages, long dropped, int faults, long checkMicros) {}

  static final long TICK_MS = 10;
  static final long RPC_TIMEOUT_MS = 1000;
  static final long PROPOSAL_TIMEOUT_MS = 2000;
  static final long LIVENESS_KEY_BOUND_MS = 10_000;

  static Options forSeed(long seed) {
    Random r = new Random(seed ^ 0x5DEECE66DL);
    int nodes = r.nextInt(3) == 0 ? 5 : 3;
    return new Options(seed, nodes, 4000 + r.nextInt(4000), LIVENESS_KEY_BOUND_MS, 2 + r.nextInt(3), 1 + r.nextInt(4));
  }

  static String replayCommand(long seed) {
    return "mvn test -Dtest=SimulationTest -Dsim.seed=" + seed;
  }

  private final Options options;
  private final SimClock clock = new SimClock();
  private final Trace trace = new Trace(Integer.getInteger("sim.trace", 50));
  private final Map<Long, SimNode> nodes = new TreeMap<>();
  private final History history = new History();
  private final Invariants invariants = new Invariants(nodes);
  private final Random random;
  private final SimNetwork network;
  private final List<SimClient> clients = new ArrayList<>();
  private FaultSchedule schedule;

  Simulation(Options options) {
    this.options = options;
    this.random = new Random(options.seed());
    this.network = new SimNetwork(clock, new Random(random.nextLong()));
  }

  static Result run(long seed) {
    return new Simulation(forSeed(seed)).run();
  }

  /** Runs the whole simulation; throws {@link SimulationFailure} with the seed, the cause and the trace. */
  Result run() {
    try {
      return runUnchecked();
    } catch (RuntimeException | AssertionError e) {
      throw new SimulationFailure(options.seed(), describe(e), trace.format(), state(), e);
    }
  }

  private Result runUnchecked() {
    CoreConfig config = coreConfig();
    trace.add(0, 0, "options " + options + ", core " + config);
    Entry bootstrap = bootstrapEntry(options.nodes());
    for (long id = 1; id <= options.nodes(); id++) {
      SimDisk disk = new SimDisk(clock, new Random(random.nextLong()), 1 + random.nextInt(30), List.of(bootstrap));
      nodes.put(id, new SimNode(id, config, options.seed(), clock, network, invariants, trace, disk, TICK_MS,
          RPC_TIMEOUT_MS, PROPOSAL_TIMEOUT_MS));
    }
    nodes.values().forEach(SimNode::start);

    List<String> keys = new ArrayList<>();
    for (int k = 0; k < options.keys(); k++) keys.add("k" + k);
    long faultEnd = options.faultPhaseMs();
    for (int c = 1; c <= options.clients(); c++) {
      SimClient client = new SimClient(c, clock, nodes, history, new Random(random.nextLong()), keys, faultEnd, trace);
      clients.add(client);
      client.start(random.nextInt(200));
    }
    schedule = FaultSchedule.generate(new Random(random.nextLong()), faultEnd);
    for (FaultSchedule.Fault f : schedule.faults()) clock.after(f.atMs(), () -> inject(f));

    runUntil(faultEnd);
    heal();
    checkLiveness(faultEnd);
    invariants.checkDurable("at the end");
    checkConverged(keys);

    long checkStarted = System.nanoTime();
    LinearizabilityChecker.Result verdict = new LinearizabilityChecker().check(history.ops());
    long checkMicros = (System.nanoTime() - checkStarted) / 1000;
    if (!verdict.linearizable()) {
      throw new AssertionError((verdict.inconclusive() ? "linearizability check inconclusive: " : "history not linearizable: ")
          + verdict.explanation());
    }
    long maxTerm = nodes.values().stream().mapToLong(n -> n.core.vote().term()).max().orElse(0);
    long lost = nodes.values().stream().mapToLong(n -> n.disk.lostWrites).sum();
    return new Result(options.seed(), options.nodes(), invariants.steps, history.size(), history.count(false), lost,
        maxTerm, invariants.committedIndex(), network.sent, network.dropped, schedule.faults().size(), checkMicros);
  }

  /** The core's tuning varies by seed, so that batching and pipelining limits are exercised too. */
  private CoreConfig coreConfig() {
    int[] batch = {1, 3, 16, 1024};
    int[] inflight = {1, 2, 8, 64};
    return new CoreConfig(5, 15, 30, batch[random.nextInt(batch.length)], 1 << 20, inflight[random.nextInt(inflight.length)]);
  }

  /** The membership entry every founding member writes at index 1, as the real node bootstraps. */
  static Entry bootstrapEntry(int voters) {
    Map<Long, Node> members = new TreeMap<>();
    for (long v = 1; v <= voters; v++) members.put(v, new Node("n" + v + ":7000", "n" + v + ":7100"));
    return new Entry(LogId.of(0, 0, 1), new EntryPayload.MembershipChange(Membership.ofVoters(members)));
  }

  private void runUntil(long until) {
    while (clock.runNext(until)) {
      // every task checks the invariants of the step it runs
    }
  }

  private void inject(FaultSchedule.Fault f) {
    if (clock.now() >= options.faultPhaseMs()) return;
    Random pick = new Random(f.pick());
    List<Long> ids = new ArrayList<>(nodes.keySet());
    long victim = ids.get(pick.nextInt(ids.size()));
    long leader = leader();
    if (leader == 0) leader = victim;
    trace.add(clock.now(), 0, "fault " + f + " (leader " + leader + ")");
    switch (f.kind()) {
      case CRASH_LEADER -> crashFor(leader, f.durationMs());
      case CRASH_NODE -> crashFor(victim, f.durationMs());
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
    if (n.disk.pendingWrites() == 0 && waited < 100 && clock.now() < options.faultPhaseMs()) {
      clock.after(1, () -> crashFor(id, durationMs, waited + 1));
      return;
    }
    n.crash();
    clock.after(durationMs, () -> {
      if (!n.up) n.start();
    });
  }

  private void ruleFor(String name, java.util.function.BiPredicate<Long, Long> link, double loss, long durationMs) {
    int rule = network.addRule(name, link, loss);
    clock.after(durationMs, () -> network.remove(rule));
  }

  /** The running leader of the highest term, or 0. */
  private long leader() {
    long best = 0;
    long bestTerm = -1;
    for (SimNode n : nodes.values()) {
      if (n.up && n.core.role() == Role.LEADER && n.core.vote().term() > bestTerm) {
        best = n.id;
        bestTerm = n.core.vote().term();
      }
    }
    return best;
  }

  /** Ends every fault: the network heals, crashed nodes restart, frozen ones resume. */
  private void heal() {
    trace.add(clock.now(), 0, "heal: faults stop");
    network.heal();
    for (SimNode n : nodes.values()) {
      if (!n.up) n.start();
      n.pausedUntil = 0;
    }
  }

  /**
   * After healing, a leader must emerge and a write must complete within the bound, and then every node must hold
   * the same log and apply all of it.
   */
  private void checkLiveness(long healedAt) {
    long deadline = healedAt + options.livenessBoundMs();
    SimClient probe = new SimClient(0, clock, nodes, history, new Random(random.nextLong()), List.of("live"),
        Long.MAX_VALUE, trace);
    probe.start(0);
    while (probe.completed == 0) {
      if (clock.now() > deadline) {
        throw new AssertionError("liveness: no write completed within " + options.livenessBoundMs() + " ms after the faults stopped");
      }
      runUntil(clock.now() + TICK_MS);
    }
    probe.stop();
    while (!converged()) {
      if (clock.now() > deadline) {
        throw new AssertionError("liveness: the nodes did not converge within " + options.livenessBoundMs() + " ms after the faults stopped");
      }
      runUntil(clock.now() + TICK_MS);
    }
  }

  /** One leader that everyone follows, and every node has applied the leader's whole log. */
  private boolean converged() {
    long leader = leader();
    if (leader == 0) return false;
    SimNode l = nodes.get(leader);
    long last = LogId.indexOf(l.core.lastLogId());
    if (l.core.commitIndex() != last) return false;
    for (SimNode n : nodes.values()) {
      if (n.core.leaderId() != leader || n.core.appliedIndex() != last) return false;
      if (!l.core.lastLogId().equals(n.core.lastLogId())) return false;
    }
    return true;
  }

  /** Every node answers every key the same way. */
  private void checkConverged(List<String> keys) {
    List<String> all = new ArrayList<>(keys);
    all.add("live");
    for (String key : all) {
      byte[] query = KvCodec.encode(new KvCommand.Get(key.getBytes(StandardCharsets.UTF_8)));
      byte[] first = null;
      for (SimNode n : nodes.values()) {
        byte[] answer = n.stateMachine.query(query);
        if (first == null) first = answer;
        else if (!Arrays.equals(first, answer)) throw new AssertionError("node " + n.id + " disagrees on key " + key);
      }
    }
  }

  private String describe(Throwable e) {
    String what = e instanceof Invariants.InvariantViolation ? "invariant broken: " : "";
    return what + e.getMessage();
  }

  private String state() {
    StringBuilder b = new StringBuilder();
    b.append("at ").append(clock.now()).append("ms, network: ").append(network.describe()).append('\n');
    for (SimNode n : nodes.values()) b.append("  ").append(n).append('\n');
    return b.toString();
  }
}
