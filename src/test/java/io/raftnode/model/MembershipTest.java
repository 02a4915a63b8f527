package io.raftnode.model;

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
}
