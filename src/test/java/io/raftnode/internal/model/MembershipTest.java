package io.raftnode.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MembershipTest {
  @Test
  void quorumNeedsAMajorityOfEveryConfig() {
    Membership joint = new Membership(List.of(Set.of(1L, 2L, 3L), Set.of(3L, 4L, 5L)), new TreeMap<>());
    assertTrue(joint.isQuorum(Set.of(1L, 3L, 4L)));
    assertFalse(joint.isQuorum(Set.of(1L, 2L, 4L)), "majority of the first config only");
    assertFalse(Membership.empty().isQuorum(Set.of(1L)), "an empty membership has no quorum");
  }

  private static Membership threeVotersAndALearner() {
    TreeMap<Long, Node> nodes = new TreeMap<>();
    for (long id = 1; id <= 4; id++) nodes.put(id, new Node("n" + id, ""));
    return new Membership(List.of(Set.of(1L, 2L, 3L)), nodes);
  }

  @Test
  void aChangeOfVotersLeavesDemotedVotersAsLearnersAndDropsThoseLeaving() {
    Membership joint = threeVotersAndALearner().jointWith(Set.of(2L, 3L, 4L), Set.of(1L));
    assertTrue(joint.isJoint());
    assertTrue(joint.isVoter(1), "a leaving voter still votes in the old config");
    assertTrue(joint.wasRemoved(1));
    Membership after = joint.leaveJoint();
    assertEquals(List.of(Set.of(2L, 3L, 4L)), after.configs());
    assertFalse(after.isMember(1));
    assertTrue(after.wasRemoved(1));

    Membership demoting = threeVotersAndALearner().jointWith(Set.of(1L, 2L), Set.of()).leaveJoint();
    assertEquals(Set.of(3L, 4L), demoting.learnerIds());
  }

  @Test
  void removingALearnerRemembersItsId() {
    Membership m = threeVotersAndALearner().withoutLearner(4);
    assertFalse(m.isMember(4));
    assertTrue(m.wasRemoved(4));
    assertEquals(m.removed(), m.withLearner(5, new Node("n5", "")).removed(), "later changes keep the removed ids");
  }
}
