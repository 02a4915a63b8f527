package io.raftnode.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.model.Entry;
import io.raftnode.model.EntryPayload;
import io.raftnode.model.LogId;
import io.raftnode.model.Membership;
import io.raftnode.model.Node;
import io.raftnode.node.MsgpackEntryPacking;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A log with packed entries answers every question exactly as the same log kept as objects. */
class RaftLogPackingTest {

  private static final Membership ONE = Membership.ofVoters(Map.of(1L, new Node("a:1", "a:2")));
  private static final Membership TWO = Membership.ofVoters(Map.of(1L, new Node("a:1", "a:2"), 2L, new Node("b:1", "b:2")));

  /** Entries 1..40: terms 1, 2 and 3, membership changes at 1 and 17. */
  private static List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      long term = i <= 10 ? 1 : i <= 25 ? 2 : 3;
      LogId id = LogId.of(term, term, i);
      EntryPayload payload = i == 1 ? new EntryPayload.MembershipChange(ONE)
          : i == 17 ? new EntryPayload.MembershipChange(TWO)
          : i % 7 == 0 ? new EntryPayload.Blank()
          : new EntryPayload.Normal(new byte[] {(byte) i, 1, 2});
      out.add(new Entry(id, payload));
    }
    return out;
  }

  private static void assertSameAnswers(RaftLog objects, RaftLog packed) {
    assertEquals(objects.baseIndex(), packed.baseIndex());
    assertEquals(objects.lastIndex(), packed.lastIndex());
    assertEquals(objects.lastLogId(), packed.lastLogId());
    assertEquals(objects.membership(), packed.membership());
    for (long i = 0; i <= objects.lastIndex() + 1; i++) {
      assertEquals(objects.entryAt(i), packed.entryAt(i), "entry " + i);
      assertEquals(objects.logIdAt(i), packed.logIdAt(i), "id " + i);
      assertEquals(objects.termAt(i), packed.termAt(i), "term " + i);
      assertEquals(objects.membershipAt(i), packed.membershipAt(i), "membership at " + i);
      assertEquals(objects.membershipLogIdAt(i), packed.membershipLogIdAt(i), "membership id at " + i);
      LogId other = LogId.of(9, 9, i);
      assertEquals(objects.holds(other), packed.holds(other));
      if (objects.logIdAt(i) != null) assertTrue(packed.holds(objects.logIdAt(i)));
      if (i > objects.baseIndex()) assertEquals(objects.slice(i, 5, 7), packed.slice(i, 5, 7), "slice from " + i);
      assertEquals(objects.range(i, i + 6), packed.range(i, i + 6), "range from " + i);
    }
  }

  @Test
  void packedEntriesAnswerAsObjectsDo() {
    RaftLog objects = new RaftLog(entries(), null);
    RaftLog packed = new RaftLog(entries(), MsgpackEntryPacking.INSTANCE);
    packed.packUpTo(30);
    assertSameAnswers(objects, packed);
    packed.packUpTo(30); // again: nothing more
    packed.packUpTo(99); // past the end: everything
    assertSameAnswers(objects, packed);
  }

  @Test
  void purgingAcrossThePackedAndUnpackedPartsKeepsTheAnswersAlike() {
    RaftLog objects = new RaftLog(entries(), null);
    RaftLog packed = new RaftLog(entries(), MsgpackEntryPacking.INSTANCE);
    packed.packUpTo(20);
    objects.purgeUpTo(objects.logIdAt(12));
    packed.purgeUpTo(packed.logIdAt(12));
    assertSameAnswers(objects, packed);
    objects.purgeUpTo(objects.logIdAt(26)); // beyond the packed part
    packed.purgeUpTo(packed.logIdAt(26));
    assertSameAnswers(objects, packed);
    packed.packUpTo(33);
    assertSameAnswers(objects, packed);
    List<Entry> more = List.of(new Entry(LogId.of(4, 1, 41), new EntryPayload.Normal(new byte[] {41})));
    objects.append(more);
    packed.append(more);
    assertSameAnswers(objects, packed);
  }

  @Test
  void unpackedEntriesCanBeTruncatedPackedOnesCannot() {
    RaftLog objects = new RaftLog(entries(), null);
    RaftLog packed = new RaftLog(entries(), MsgpackEntryPacking.INSTANCE);
    packed.packUpTo(20);
    assertThrows(IllegalArgumentException.class, () -> packed.truncateFrom(20));
    objects.truncateFrom(21);
    packed.truncateFrom(21);
    assertSameAnswers(objects, packed);
    packed.truncateFrom(50); // past the end: nothing to remove
    assertEquals(20, packed.lastIndex());
  }

  @Test
  void resetDropsPackedEntriesToo() {
    RaftLog packed = new RaftLog(entries(), MsgpackEntryPacking.INSTANCE);
    packed.packUpTo(35);
    LogId snapshotEnd = LogId.of(7, 1, 100);
    packed.resetTo(snapshotEnd, new io.raftnode.model.StoredMembership(LogId.of(7, 1, 90), TWO));
    assertEquals(100, packed.lastIndex());
    assertNull(packed.entryAt(35));
    assertFalse(packed.holds(LogId.of(3, 3, 101)));
    packed.append(List.of(new Entry(LogId.of(7, 1, 101), new EntryPayload.Blank())));
    packed.packUpTo(101);
    assertEquals(LogId.of(7, 1, 101), packed.lastLogId());
    assertEquals(new Entry(LogId.of(7, 1, 101), new EntryPayload.Blank()), packed.entryAt(101));
    assertEquals(TWO, packed.membership());
  }
}
