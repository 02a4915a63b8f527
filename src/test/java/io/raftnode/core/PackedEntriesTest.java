package io.raftnode.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.model.Entry;
import io.raftnode.model.EntryPayload;
import io.raftnode.model.LeaderId;
import io.raftnode.model.LogId;
import io.raftnode.node.MsgpackEntryPacking;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedEntriesTest {

  private static Entry entry(long term, long index, int size, Random random) {
    byte[] data = new byte[size];
    random.nextBytes(data);
    return new Entry(LogId.of(term, term % 3 + 1, index), new EntryPayload.Normal(data));
  }

  @Test
  void everyEntryDecodesToWhatWentInAcrossChunksRingGrowthAndLeaderChanges() {
    Random random = new Random(7);
    PackedEntries packed = new PackedEntries(MsgpackEntryPacking.INSTANCE);
    List<Entry> in = new ArrayList<>();
    long term = 1;
    // ~3 chunks of small entries, some entries large enough for arrays of their own, a new leader now and then.
    for (int i = 1; i <= 12_000; i++) {
      if (random.nextInt(500) == 0) term++;
      int size = random.nextInt(1000) == 0 ? PackedEntries.CHUNK_BYTES / 4 : random.nextInt(400);
      Entry e = entry(term, i, size, random);
      in.add(e);
      packed.add(e);
    }
    assertEquals(1, packed.firstIndex());
    assertEquals(12_000, packed.lastIndex());
    int chunksBefore = packed.chunkCount();
    assertTrue(chunksBefore >= 3, "small entries share chunks, large ones have their own: " + chunksBefore);
    for (Entry e : in) {
      Entry out = packed.get(e.index());
      assertEquals(e, out);
      assertNotSame(e, out);
      assertEquals(e.logId(), packed.logIdAt(e.index()));
      assertEquals(e.logId().leaderId(), packed.leaderAt(e.index()));
    }
    packed.dropUpTo(11_990);
    assertTrue(packed.chunkCount() <= 2, "the arrays of dropped entries are let go: " + packed.chunkCount());
    for (long i = 11_991; i <= 12_000; i++) assertEquals(in.get((int) i - 1), packed.get(i));
  }

  @Test
  void droppingTheFrontKeepsTheRestAndItsLeaders() {
    Random random = new Random(11);
    PackedEntries packed = new PackedEntries(MsgpackEntryPacking.INSTANCE);
    List<Entry> in = new ArrayList<>();
    for (int i = 1; i <= 300; i++) {
      Entry e = entry(i <= 100 ? 1 : i <= 200 ? 2 : 3, i, 50, random);
      in.add(e);
      packed.add(e);
    }
    packed.dropUpTo(150);
    assertEquals(151, packed.firstIndex());
    assertFalse(packed.holdsIndex(150));
    assertThrows(IllegalArgumentException.class, () -> packed.get(150));
    for (int i = 151; i <= 300; i++) assertEquals(in.get(i - 1), packed.get(i));
    // keeps adding after the drop, through a ring that wraps and grows
    for (int i = 301; i <= 700; i++) {
      Entry e = entry(4, i, 50, random);
      in.add(e);
      packed.add(e);
    }
    for (int i = 151; i <= 700; i++) assertEquals(in.get(i - 1), packed.get(i));
    assertEquals(new LeaderId(2, 3), packed.leaderAt(151));
    assertEquals(new LeaderId(4, 2), packed.leaderAt(700));
    packed.dropUpTo(700);
    assertTrue(packed.isEmpty());
    packed.add(entry(5, 901, 10, random));
    assertEquals(901, packed.firstIndex());
    assertEquals(new LeaderId(5, 3), packed.leaderAt(901));
  }

  @Test
  void onlyTheNextIndexCanBeAdded() {
    Random random = new Random(3);
    PackedEntries packed = new PackedEntries(MsgpackEntryPacking.INSTANCE);
    packed.add(entry(1, 5, 10, random));
    assertThrows(IllegalStateException.class, () -> packed.add(entry(1, 7, 10, random)));
  }
}
