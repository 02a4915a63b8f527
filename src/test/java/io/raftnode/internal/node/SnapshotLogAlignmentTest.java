package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.Entry;
import io.raftnode.internal.model.EntryPayload;
import io.raftnode.internal.model.LogId;
import io.raftnode.internal.storage.InMemoryLogStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotLogAlignmentTest {

  private static InMemoryLogStore log(long term, int last) throws Exception {
    InMemoryLogStore log = new InMemoryLogStore();
    List<Entry> entries = new ArrayList<>();
    for (long i = 1; i <= last; i++) entries.add(new Entry(LogId.of(term, 1, i), EntryPayload.Blank.INSTANCE));
    log.append(0, entries);
    return log;
  }

  @Test
  void aLogShortOfTheSnapshotContinuesAfterIt() throws Exception {
    InMemoryLogStore log = log(1, 30);
    LogId snapshot = LogId.of(1, 1, 33);
    assertTrue(SnapshotLogAlignment.align(log, snapshot));
    assertEquals(snapshot, log.purgedLogId());
    assertEquals(snapshot, log.lastLogId());
    log.append(0, List.of(new Entry(LogId.of(2, 2, 34), EntryPayload.Blank.INSTANCE))); // no gap now
  }

  @Test
  void aLogHoldingAnotherEntryAtTheSnapshotsIndexIsDroppedFromItsFirstEntry() throws Exception {
    InMemoryLogStore log = log(1, 40);
    LogId snapshot = LogId.of(2, 2, 33);
    assertTrue(SnapshotLogAlignment.align(log, snapshot));
    assertEquals(snapshot, log.lastLogId());
    assertTrue(log.loadFrom(1).entries().isEmpty());
  }

  @Test
  void aLogHoldingTheSnapshotsEntryIsLeftAlone() throws Exception {
    InMemoryLogStore log = log(1, 40);
    assertFalse(SnapshotLogAlignment.align(log, LogId.of(1, 1, 33)));
    assertEquals(LogId.of(1, 1, 40), log.lastLogId());
    log.purgeUpTo(LogId.of(1, 1, 33));
    assertFalse(SnapshotLogAlignment.align(log, LogId.of(1, 1, 33)), "purged exactly up to the snapshot");
    assertFalse(SnapshotLogAlignment.align(log, null));
  }
}
