package io.raftnode.sim;

import io.raftnode.internal.core.CoreConfig;
import io.raftnode.internal.core.Role;
import io.raftnode.internal.kv.KvCodec;
import io.raftnode.internal.kv.KvCommand;
import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One deterministic run from one seed: N founding nodes (3 or 5), clients, an operator changing the membership
 * ({@link SimOperator}), a fault phase following a {@link FaultSchedule},
 * then a liveness phase on a healed network in which a leader must emerge, a write must complete and every node
 * must catch up within a bounded simulated time. Invariants are checked at every step; the client history must be
 * linearizable at the end. Everything random comes from the seed, so a failing seed fails the same way again.
 */
final class Simulation {

  /** The shape of a run; {@link #forSeed} derives it from the seed. */
  record Options(long seed, int nodes, long faultPhaseMs, long livenessBoundMs, int clients, int keys, Sabotage sabotage) {}

  /** Deliberate bugs, so that the simulator's own tests can show it catches them. */
  enum Sabotage {
    NONE,
    /** Linearizable and lease reads answered from the local state at once, without a read index. */
    LOCAL_READS,
    /** Clients resend writes of unknown outcome as if they had request ids, but send none. */
    RETRY_WITHOUT_IDS,
    /** A follower installing a leader's snapshot keeps its old state machine. */
    INSTALL_WITHOUT_RESTORE,
    /**
     * Clients judge failures by a classification that calls a lost connection "not applied" (the node's before
     * outcomes were told apart), and resend writes without request ids after it.
     */
    UNKNOWN_AS_NOT_APPLIED,
    /** The exactly-once table answers only a client's last sequence: an older one applies again. */
    REAPPLY_BELOW_LAST_SEQUENCE,
    /** The exactly-once table keeps only a client's last sequence and refuses older ones as stale. */
    REFUSE_BELOW_LAST_SEQUENCE
  }

  /** What one run did. */
  record Result(long seed, int nodes, long steps, int ops, long unknownOps, long lostWrites, long maxTerm,
      long committed, long messages, long dropped, int faults, long checkMicros, SimStats stats) {}

  /** The slowest tick period: min - 1 ms for the core's min of 15 ticks, so the drift model is exact in ms. */
  static final long TICK_MS = 14;
  static final int ELECTION_TICKS_MIN = 15;
  static final long RPC_TIMEOUT_MS = 1000;
  static final long PROPOSAL_TIMEOUT_MS = 2000;
  static final long LIVENESS_KEY_BOUND_MS = 10_000;

  static Options forSeed(long seed) {
    Random r = new Random(seed ^ 0x5DEECE66DL);
    int nodes = r.nextInt(3) == 0 ? 5 : 3;
    return new Options(seed, nodes, 4000 + r.nextInt(4000), LIVENESS_KEY_BOUND_MS, 2 + r.nextInt(3), 1 + r.nextInt(4),
        Sabotage.NONE);
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
  private final SimStats stats = new SimStats();
  private FaultSchedule schedule;
  private SimOperator operator;

  Simulation(Options options) {
    this.options = options;
    this.random = new Random(options.seed());
    this.network = new SimNetwork(clock, new Random(random.nextLong()));
  }

  static Result run(long seed) {
    return new Simulation(forSeed(seed)).run();
  }

  static Result run(long seed, Sabotage sabotage) {
    Options o = forSeed(seed);
    return new Simulation(new Options(seed, o.nodes(), o.faultPhaseMs(), o.livenessBoundMs(), o.clients(), o.keys(),
        sabotage)).run();
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
    int clockDrift = leaseDriftTicks();
    CoreConfig config = coreConfig(clockDrift);
    long fastest = fastestTickMs(config.electionTicksMin(), clockDrift);
    trace.add(0, 0, "options " + options + ", core " + config + ", clocks " + fastest + ".." + TICK_MS + " ms");
    Entry bootstrap = bootstrapEntry(options.nodes());
    long[] thresholds = {8, 20, 50, 200};
    long[] tails = {0, 1, 5, 20};
    SimSnapshots.Settings snapshots = new SimSnapshots.Settings(thresholds[random.nextInt(thresholds.length)],
        tails[random.nextInt(tails.length)]);
    trace.add(0, 0, "snapshots " + snapshots);
    for (long id = 1; id <= options.nodes(); id++) newNode(id, List.of(bootstrap), config, fastest, snapshots, random);
    SabotagedKvStateMachine.installIfSabotaged(nodes.values(), options.sabotage());
    nodes.values().forEach(SimNode::start);

    List<String> keys = new ArrayList<>();
    for (int k = 0; k < options.keys(); k++) keys.add("k" + k);
    long faultEnd = options.faultPhaseMs();
    for (int c = 1; c <= options.clients(); c++) {
      // With three clients or more, the first is a lease reader (see SimClient).
      boolean leaseReader = c == 1 && options.clients() >= 3;
      SimClient client = new SimClient(c, clock, nodes, history, new Random(random.nextLong()), keys, faultEnd, trace,
          options.sabotage() == Sabotage.RETRY_WITHOUT_IDS, classification(), invariants, leaseReader,
          stats);
      clients.add(client);
      client.start(random.nextInt(200));
    }
    // Its own random stream, so that the seed's other choices (faults, tuning, the other clients) stay as they were.
    Random pipelinedRandom = new Random(options.seed() * 0x9E3779B97F4A7C15L + 0x1234567L);
    SimPipelinedClient pipelined = new SimPipelinedClient(options.clients() + 1, clock, nodes, history, pipelinedRandom,
        2 + pipelinedRandom.nextInt(3), faultEnd, trace, stats);
    pipelined.start(pipelinedRandom.nextInt(200));
    schedule = FaultSchedule.generate(new Random(random.nextLong()), faultEnd);
    Random joining = new Random(random.nextLong());
    operator = new SimOperator(clock, nodes, trace, stats, faultEnd, id -> {
      SimNode n = newNode(id, List.of(), config, fastest, snapshots, joining);
      n.newStateMachine = nodes.get(1L).newStateMachine; // a sabotaged state machine is every node's
      n.start();
      return n;
    }, new Random(random.nextLong()));
    FaultInjector injector = new FaultInjector(clock, nodes, network, trace, faultEnd, operator);
    for (FaultSchedule.Fault f : schedule.faults()) clock.after(f.atMs(), () -> injector.inject(f));

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
    long maxTerm = nodes.values().stream().filter(n -> n.up).mapToLong(n -> n.core.vote().term()).max().orElse(0);
    long lost = nodes.values().stream().mapToLong(n -> n.disk.lostWrites).sum();
    return new Result(options.seed(), options.nodes(), invariants.steps, history.size(), history.count(false), lost,
        maxTerm, invariants.committedIndex(), network.sent, network.dropped, schedule.faults().size(), checkMicros, stats);
  }

  /** A node with its disk holding {@code log}: the bootstrap entry for a founder, nothing for a node joining later. */
  private SimNode newNode(long id, List<Entry> log, CoreConfig config, long fastest, SimSnapshots.Settings snapshots,
      Random random) {
    SimDisk disk = new SimDisk(clock, new Random(random.nextLong()), 1 + random.nextInt(30), log);
    long tickMs = tickPeriod(fastest, random);
    SimNode n = new SimNode(id, config, options.seed(), clock, network, invariants, trace, disk, tickMs,
        RPC_TIMEOUT_MS, PROPOSAL_TIMEOUT_MS, options.sabotage(), stats, snapshots);
    nodes.put(id, n);
    return n;
  }

  /**
   * The lease's clock drift bound, by seed: none (clocks of one rate), a fifth of the minimum election timeout (the
   * node's default) or a little more, and the most the config check allows (a lease of one tick). The clocks
   * drift by the whole bound (see {@link #fastestTickMs}).
   */
  private int leaseDriftTicks() {
    int min = ELECTION_TICKS_MIN;
    int[] drifts = {0, min / 5, min / 5 + 1, min / 5 + 2, min - 2};
    return drifts[random.nextInt(drifts.length)];
  }

  /** The core's tuning varies by seed, so that batching and pipelining limits are exercised too. */
  private CoreConfig coreConfig(int leaseDriftTicks) {
    int[] batch = {1, 3, 16, 1024};
    int[] inflight = {1, 2, 8, 64};
    CoreConfig config = new CoreConfig(5, ELECTION_TICKS_MIN, 30, batch[random.nextInt(batch.length)], 1 << 20,
        inflight[random.nextInt(inflight.length)], leaseDriftTicks);
    // The log cache too, from a stream of its own so that the other draws stay what they were for each seed: from
    // none at all (every entry durable and applied is read back from disk) to the default.
    long[] cache = {0, 300, 4096, CoreConfig.DEFAULT_LOG_CACHE_BYTES};
    return config.withLogCacheBytes(cache[new Random(options.seed() * 31 + 17).nextInt(cache.length)]);
  }

  /**
   * The drift model. Every node's clock runs at a constant rate of its own: it ticks every {@code p} ms, p in
   * [fastest, TICK_MS]. A leader's lease lasts min - 1 - drift of its ticks after the send time of the request a
   * quorum answered; a follower that received that request refuses votes until min of its own ticks have passed,
   * more than min - 1 of its periods later (the tick it heard in was already under way; see the core's Lease). The
   * fastest period is the shortest with (min - 1 - drift) * TICK_MS <= (min - 1) * fastest; as TICK_MS is min - 1,
   * that is min - 1 - drift ms and both sides are equal: a slowest leader's lease ends exactly when a fastest
   * follower's refusal is sure to, so the drift bound is used in full, to the millisecond.
   */
  static long fastestTickMs(int electionTicksMin, int driftTicks) {
    long lease = (electionTicksMin - 1L - driftTicks) * TICK_MS;
    return Math.max(1, Math.min(TICK_MS, (lease + electionTicksMin - 2) / (electionTicksMin - 1)));
  }

  /**
   * A node's tick period: the fastest or the slowest a third of the time each, so that the worst pairs (a slow
   * leader, fast followers) are common; in between otherwise.
   */
  private static long tickPeriod(long fastest, Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> fastest;
      case 1 -> TICK_MS;
      default -> fastest + random.nextInt((int) (TICK_MS - fastest + 1));
    };
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

  private Predicate<Throwable> classification() {
    return options.sabotage() == Sabotage.UNKNOWN_AS_NOT_APPLIED
        ? SimClient.UNKNOWN_AS_NOT_APPLIED : SimClient.NODE_CLASSIFICATION;
  }

  private long leader() {
    return leaderOf(nodes);
  }

  /** The running leader of the highest term, or 0. */
  static long leaderOf(Map<Long, SimNode> nodes) {
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
        Long.MAX_VALUE, trace, false, classification(), invariants, false, stats);
    probe.start(0);
    while (probe.completed == 0) {
      if (clock.now() > deadline) {
        throw new AssertionError("liveness: no write completed within " + options.livenessBoundMs() + " ms after the faults stopped");
      }
      runUntil(clock.now() + TICK_MS);
    }
    probe.stop();
    while (!operator.idle() || !converged()) {
      if (clock.now() > deadline && !operator.idle()) {
        throw new AssertionError("liveness: the operator's membership change did not complete within "
            + options.livenessBoundMs() + " ms after the faults stopped");
      }
      if (clock.now() > deadline) {
        throw new AssertionError("liveness: the nodes did not converge within " + options.livenessBoundMs() + " ms after the faults stopped");
      }
      runUntil(clock.now() + TICK_MS);
    }
  }

  /**
   * One leader that every member follows, its membership settled (not joint, committed), and every member has
   * applied the leader's whole log. Removed nodes are not members: they no longer hear from the cluster.
   */
  private boolean converged() {
    long leader = leader();
    if (leader == 0) return false;
    SimNode l = nodes.get(leader);
    long last = LogId.indexOf(l.core.lastLogId());
    if (l.core.commitIndex() != last || l.core.membership().isJoint()) return false;
    for (SimNode n : members()) {
      if (!n.up || n.core.leaderId() != leader || n.core.appliedIndex() != last || !n.stateMachineCaughtUp()) return false;
      if (!l.core.lastLogId().equals(n.core.lastLogId())) return false;
    }
    return true;
  }

  /** The nodes of the membership the cluster ended with. */
  private List<SimNode> members() {
    Membership m = invariants.committedMembership();
    return nodes.values().stream().filter(n -> m.isMember(n.id)).toList();
  }

  /** Every member answers every key the same way. */
  private void checkConverged(List<String> keys) {
    List<String> all = new ArrayList<>(keys);
    all.add("live");
    for (String key : all) {
      byte[] query = KvCodec.encode(new KvCommand.Get(key.getBytes(StandardCharsets.UTF_8)));
      byte[] first = null;
      for (SimNode n : members()) {
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
