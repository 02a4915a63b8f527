package io.raftnode.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

/**
 * The faults of one run, drawn from its seed: every run has each {@link #REQUIRED} kind at least once, plus a
 * random number of extra faults of any kind, at random moments of the fault phase, each lasting a random while
 * (a crashed node restarts, a partition heals, loss stops). Faults overlap freely.
 */
final class FaultSchedule {

  enum Kind {
    /** kill -9 the current leader; it restarts from its disk later, unsynced writes lost. */
    CRASH_LEADER,
    /** kill -9 any node; it restarts later, sometimes at once. */
    CRASH_NODE,
    /** Cut the current leader off from everyone, both ways. */
    ISOLATE_LEADER,
    /** Cut a random minority off from the rest. */
    PARTITION,
    /** Lose some or all messages on one direction of one link (often from or to the leader). */
    ASYMMETRIC_LOSS,
    /** Lose a fraction of the messages on every link. */
    SYMMETRIC_LOSS,
    /** Long delays (so much reordering) and many duplicates. */
    SLOW_NETWORK,
    /** Freeze a node (SIGSTOP) and let it resume where it was (SIGCONT). */
    PAUSE_NODE,
    /**
     * An operator's TransferLeadership, usually on the leader: to a random node (perhaps itself), to 0 (the most
     * up-to-date voter) or to a node that is down (crashed now if none is).
     */
    TRANSFER_LEADER,
    /** A node (often the leader) takes a snapshot now and compacts its log. */
    SNAPSHOT,
    /** For a while, a node that starts installing a leader's snapshot crashes during the install. */
    CRASH_DURING_INSTALL,
    /** The operator adds a new node as a learner, and usually promotes it to voter. */
    ADD_NODE,
    /** The operator removes a voter, often the leader. */
    REMOVE_VOTER,
    /** The operator makes a voter a learner, and sometimes removes it after. */
    DEMOTE_VOTER,
    /** A voter's machine is lost for good; the operator removes its id and adds a new node in its place. */
    REPLACE_NODE,
    /** The operator starts a change, and a leader that holds the joint membership crashes soon after. */
    CRASH_DURING_JOINT
  }

  static final EnumSet<Kind> REQUIRED =
      EnumSet.of(Kind.CRASH_LEADER, Kind.CRASH_NODE, Kind.ISOLATE_LEADER, Kind.ASYMMETRIC_LOSS, Kind.SYMMETRIC_LOSS,
          Kind.TRANSFER_LEADER, Kind.SNAPSHOT, Kind.CRASH_DURING_INSTALL, Kind.ADD_NODE, Kind.REMOVE_VOTER,
          Kind.REPLACE_NODE, Kind.CRASH_DURING_JOINT);

  /**
   * One fault.
   *
   * @param atMs        when it starts
   * @param durationMs  how long until it is undone
   * @param pick        random bits for choosing nodes
   * @param severity    in [0, 1): how bad (loss rate, delay)
   */
  record Fault(long atMs, Kind kind, long durationMs, long pick, double severity) {}

  private final List<Fault> faults;

  private FaultSchedule(List<Fault> faults) {
    this.faults = faults;
  }

  static FaultSchedule generate(Random random, long phaseMs) {
    List<Kind> kinds = new ArrayList<>(REQUIRED);
    int extra = 2 + random.nextInt(9);
    Kind[] all = Kind.values();
    for (int i = 0; i < extra; i++) kinds.add(all[random.nextInt(all.length)]);
    List<Fault> faults = new ArrayList<>();
    for (Kind kind : kinds) {
      long at = 300 + (long) (random.nextDouble() * (phaseMs - 800));
      long duration = 50 + (long) (random.nextDouble() * Math.min(2000, phaseMs - at));
      faults.add(new Fault(at, kind, duration, random.nextLong(), random.nextDouble()));
    }
    faults.sort(Comparator.comparingLong(Fault::atMs));
    return new FaultSchedule(List.copyOf(faults));
  }

  List<Fault> faults() {
    return faults;
  }
}
