package io.raftnode.internal.model;

import java.util.Set;
import java.util.TreeSet;

/** An operator's request to change the cluster's members; the leader turns it into membership entries. */
public sealed interface MembershipCommand {

  /** Add {@code nodeId}, reachable at {@code node}, as a learner: it is replicated to but does not vote. */
  record AddLearner(long nodeId, Node node) implements MembershipCommand {
    public AddLearner {
      if (node == null) throw new IllegalArgumentException("node must not be null");
    }
  }

  /**
   * Make {@code voters} the voter set, through a joint config. Members not listed stay (or become) learners; every
   * new voter must be a learner that has caught up.
   */
  record SetVoters(Set<Long> voters) implements MembershipCommand {
    public SetVoters {
      voters = java.util.Collections.unmodifiableSet(new TreeSet<>(voters));
    }
  }

  /** Remove {@code nodeId} from the cluster altogether (a voter through a joint config); its id is never reused. */
  record RemoveNode(long nodeId) implements MembershipCommand {}
}
