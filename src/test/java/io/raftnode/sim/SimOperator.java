package io.raftnode.sim;

import io.raftnode.internal.core.Action;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.MembershipCommand;
import io.raftnode.internal.model.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The operator of the simulated cluster: carries out membership changes through AdminService on the node that
 * leads, one scenario at a time (a human or a script does one change after another), each step retried until it
 * is answered, as `member add-learner`, `member promote` and `member remove` would be:
 *
 * <ul>
 *   <li>{@link Scenario#ADD_NODE}: a new node, started with no membership, is added as a learner and usually
 *       promoted to voter;</li>
 *   <li>{@link Scenario#REMOVE_VOTER}: a voter, often the leader, is removed;</li>
 *   <li>{@link Scenario#DEMOTE_VOTER}: a voter becomes a learner, and is sometimes removed after;</li>
 *   <li>{@link Scenario#REPLACE_NODE}: a voter's machine is lost for good (it never starts again), its id is
 *       removed and a new node takes its place.</li>
 * </ul>
 *
 * Each request carries the membership index it was decided on (compare-and-set) and is decided anew on every
 * retry from the leader's membership, so a retry of a change that did commit is answered as done. An unknown
 * outcome (the node died, the leader changed, no answer in time) is retried too: every change is idempotent. The
 * operator keeps at least two voters that can run, so the cluster can always make progress once the faults end.
 */
final class SimOperator {
  enum Scenario {
    ADD_NODE,
    REMOVE_VOTER,
    DEMOTE_VOTER,
    REPLACE_NODE
  }

  private static final long ANSWER_TIMEOUT_MS = 3000;

  private final SimClock clock;
  private final Map<Long, SimNode> nodes;
  private final Trace trace;
  private final SimStats stats;
  private final long faultEnd;
  private final LongFunction<SimNode> addNode;
  private final Random random;
  private final Deque<Runnable> queue = new ArrayDeque<>();
  private boolean busy;
  private long nextId;

  /**
   * @param addNode creates and starts the node with the given id, with an empty disk and no membership
   */
  SimOperator(SimClock clock, Map<Long, SimNode> nodes, Trace trace, SimStats stats, long faultEnd,
      LongFunction<SimNode> addNode, Random random) {
    this.clock = clock;
    this.nodes = nodes;
    this.trace = trace;
    this.stats = stats;
    this.faultEnd = faultEnd;
    this.addNode = addNode;
    this.random = random;
    this.nextId = nodes.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
  }

  /** Queues a scenario; it starts once the ones before it have finished, if the fault phase is not over. */
  void enqueue(Scenario scenario, long pick) {
    queue.add(() -> begin(scenario, new Random(pick)));
    if (!busy) next();
  }

  /** No change is under way or waiting. */
  boolean idle() {
    return !busy && queue.isEmpty();
  }

  private void next() {
    busy = false;
    while (!queue.isEmpty()) {
      Runnable scenario = queue.poll();
      if (clock.now() >= faultEnd) continue; // the changes still queued when the faults end are not made
      busy = true;
      scenario.run();
      return;
    }
  }

  private void begin(Scenario scenario, Random pick) {
    SimNode leader = leaderNode();
    Membership m = leader == null ? null : leader.core.membership();
    List<Long> voters = m == null || m.isJoint() ? new ArrayList<>() : new ArrayList<>(m.voterIds());
    voters.removeIf(v -> nodes.get(v) == null || nodes.get(v).retired);
    boolean anyRetiredMember = m != null && m.nodes().keySet().stream().anyMatch(id -> retired(id));
    // Without a settled view of the voters, or with too few of them to spare one, the scenario grows the cluster.
    if (scenario != Scenario.ADD_NODE && (voters.size() < 3 || anyRetiredMember)) scenario = Scenario.ADD_NODE;
    trace.add(clock.now(), 0, "operator: " + scenario);
    switch (scenario) {
      case ADD_NODE -> addNode(pick.nextInt(4) != 0, this::next);
      case REMOVE_VOTER -> {
        long victim = pick.nextBoolean() ? leader.id : voters.get(pick.nextInt(voters.size()));
        boolean wasLeader = victim == leader.id;
        remove(victim, () -> {
          stats.votersRemoved++;
          if (wasLeader) stats.leadersRemoved++;
          next();
        });
      }
      case DEMOTE_VOTER -> {
        long victim = voters.get(pick.nextInt(voters.size()));
        boolean thenRemove = pick.nextBoolean();
        change("demote " + victim, cur -> cur.voterIds().contains(victim) && !cur.isJoint()
            ? new MembershipCommand.SetVoters(without(cur.voterIds(), victim)) : voters(cur), done -> {
              stats.votersDemoted++;
              if (thenRemove) remove(victim, this::next);
              else next();
            });
      }
      case REPLACE_NODE -> {
        long lost = voters.get(pick.nextInt(voters.size()));
        SimNode machine = nodes.get(lost);
        trace.add(clock.now(), 0, "operator: node " + lost + "'s machine is lost for good");
        machine.retired = true;
        machine.crash();
        remove(lost, () -> addNode(true, () -> {
          stats.replacements++;
          next();
        }));
      }
      default -> throw new IllegalStateException("unknown scenario " + scenario);
    }
  }

  /** Starts a new node, adds it as a learner, then promotes it to voter if asked. */
  private void addNode(boolean promote, Runnable then) {
    long id = nextId++;
    addNode.apply(id);
    Node address = new Node("n" + id + ":7000", "n" + id + ":7100");
    change("add learner " + id, cur -> new MembershipCommand.AddLearner(id, address), added -> {
      stats.learnersAdded++;
      if (!promote) {
        then.run();
        return;
      }
      change("promote " + id, cur -> cur.isJoint() ? voters(cur) : new MembershipCommand.SetVoters(with(cur.voterIds(), id)),
          promoted -> {
            if (!promoted.isVoter(id)) {
              throw new AssertionError("node " + id + " was promoted, but the committed membership is " + promoted);
            }
            stats.learnersPromoted++;
            then.run();
          });
    });
  }

  private void remove(long id, Runnable then) {
    change("remove " + id, cur -> new MembershipCommand.RemoveNode(id), removed -> {
      if (!removed.wasRemoved(id) || removed.isMember(id)) {
        throw new AssertionError("node " + id + " was removed, but the committed membership is " + removed);
      }
      then.run();
    });
  }

  /**
   * Asks the leader for the change {@code decide} makes of its current membership, until it is answered as done;
   * {@code done} gets the committed membership.
   */
  private void change(String what, Function<Membership, MembershipCommand> decide, Consumer<Membership> done) {
    SimNode leader = leaderNode();
    if (leader == null) {
      retry(what, decide, done);
      return;
    }
    MembershipCommand command = decide.apply(leader.core.membership());
    long expected = LogId.indexOf(leader.core.membershipLogId());
    trace.add(clock.now(), leader.id, "operator: " + what + ": " + command + " expecting the membership at " + expected);
    boolean[] answered = {false};
    clock.after(ANSWER_TIMEOUT_MS, () -> {
      if (answered[0]) return;
      answered[0] = true;
      retry(what, decide, done);
    });
    leader.changeMembership(command, expected, answer -> {
      if (answered[0]) return;
      answered[0] = true;
      onAnswer(what, answer, decide, done);
    });
  }

  private void onAnswer(String what, Action answer, Function<Membership, MembershipCommand> decide,
      Consumer<Membership> done) {
    if (answer instanceof Action.MembershipChanged changed) {
      trace.add(clock.now(), 0, "operator: " + what + " done: " + changed.membership() + " at " + changed.logId());
      stats.membershipChanges++;
      done.accept(changed.membership());
      return;
    }
    if (answer instanceof Action.MembershipChangeFailed failed) {
      // INVALID too: a deposed leader that does not know it yet judges by its own, older membership.
      trace.add(clock.now(), 0, "operator: " + what + ": " + failed.failure() + " " + failed.message());
    } else {
      trace.add(clock.now(), 0, "operator: " + what + ": no answer (the node died)");
    }
    retry(what, decide, done);
  }

  private void retry(String what, Function<Membership, MembershipCommand> decide, Consumer<Membership> done) {
    clock.after(20 + random.nextInt(130), () -> change(what, decide, done));
  }

  private SimNode leaderNode() {
    long leader = Simulation.leaderOf(nodes);
    return leader == 0 ? null : nodes.get(leader);
  }

  private boolean retired(long id) {
    SimNode n = nodes.get(id);
    return n != null && n.retired;
  }

  /** The voters as they are: a change already made, or one to leave to the leader's automatic step. */
  private static MembershipCommand voters(Membership m) {
    return new MembershipCommand.SetVoters(m.isJoint() ? m.configs().get(1) : m.voterIds());
  }

  private static Set<Long> with(Set<Long> voters, long id) {
    Set<Long> next = new TreeSet<>(voters);
    next.add(id);
    return next;
  }

  private static Set<Long> without(Set<Long> voters, long id) {
    Set<Long> next = new TreeSet<>(voters);
    next.remove(id);
    return next;
  }
}
