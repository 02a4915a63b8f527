package io.raftnode.internal.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.model.Vote;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRestoreTest {
  @TempDir
  Path tmp;

  private static final LogId LAST = LogId.of(7, 2, 5000);

  private static SortedMap<Long, Node> members(long... ids) {
    SortedMap<Long, Node> m = new TreeMap<>();
    for (long id : ids) m.put(id, new Node("127.0.0.1:" + (8100 + id), "127.0.0.1:" + (8200 + id)));
    return m;
  }

  /** A backup of an old cluster of voters 1..3 that had removed node 4, holding {@code data}. */
  private Path backup(byte[] data) throws IOException {
    Membership old = new Membership(List.of(Set.of(1L, 2L, 3L)), new TreeMap<>(members(1, 2, 3)), new TreeSet<>(Set.of(4L)));
    SnapshotMeta meta = new SnapshotMeta(LAST, new StoredMembership(LogId.of(3, 1, 40), old), "7-2-5000-1");
    Path file = tmp.resolve("backup.snap");
    try (BackupFile.Writer writer = BackupFile.create(file, meta)) {
      writer.write(data);
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(data);
      writer.commit(data.length, crc.getValue());
    }
    assertFalse(Files.exists(tmp.resolve("backup.snap.part")), "the partial file became the backup");
    return file;
  }

  private static byte[] data(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  @Test
  void restoredDirHoldsTheDataUnderTheOldLastIdWithTheNewMembersAndAnEmptyLogAfterIt() throws Exception {
    byte[] data = data(300_000);
    Path dir = tmp.resolve("node5");
    SnapshotMeta written = SnapshotRestore.restore(backup(data), dir, 5, members(5, 6, 7));
    assertEquals(LAST, written.lastLogId());

    try (DataDir opened = DataDir.open(dir)) {
      StoredSnapshot snapshot = SnapshotStore.open(dir).latest();
      assertEquals(LAST, snapshot.meta().lastLogId());
      Membership membership = snapshot.meta().lastMembership().membership();
      assertEquals(Set.of(5L, 6L, 7L), membership.voterIds());
      assertEquals(members(5, 6, 7), membership.nodes());
      assertTrue(membership.removed().isEmpty(), "a new cluster has removed nobody: " + membership.removed());
      try (InputStream in = snapshot.openData()) {
        assertArrayEquals(data, in.readAllBytes());
      }
      assertEquals(LAST, opened.logStore().purgedLogId());
      assertEquals(LAST, opened.logStore().lastLogId());
      assertEquals(Vote.of(7, 0, false), opened.voteStore().load());
    }
  }

  @Test
  void aBackupWithOneFlippedDataByteIsRefusedAndNothingIsWritten() throws Exception {
    Path file = backup(data(100_000));
    BackupFile.Contents contents = BackupFile.read(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = contents.dataOffset() + 54_321;
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x10));
      ch.write(one.rewind(), at);
    }
    Path dir = tmp.resolve("node1");
    CorruptDataException e = assertThrows(CorruptDataException.class,
        () -> SnapshotRestore.restore(file, dir, 1, members(1, 2, 3)));
    assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
    assertFalse(Files.exists(dir), "nothing was created for a damaged backup");
  }

  @Test
  void aTruncatedBackupIsRefused() throws Exception {
    Path file = backup(data(10_000));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 100);
    }
    assertThrows(CorruptDataException.class, () -> SnapshotRestore.restore(file, tmp.resolve("d"), 1, members(1)));
  }

  @Test
  void aNodeSnapshotFileIsNotTakenForABackup() throws Exception {
    Path dir = tmp.resolve("node1");
    SnapshotRestore.restore(backup(data(1000)), dir, 1, members(1));
    Path snapshotFile;
    try (var files = Files.list(dir.resolve("snapshots"))) {
      snapshotFile = files.filter(p -> p.toString().endsWith(".snap")).findFirst().orElseThrow();
    }
    CorruptDataException e = assertThrows(CorruptDataException.class, () -> BackupFile.verify(snapshotFile));
    assertTrue(e.getMessage().contains("not a raftnode backup"), e.getMessage());
  }

  @Test
  void aNonEmptyDataDirIsRefusedAndLeftAsItWas() throws Exception {
    Path file = backup(data(1000));
    Path dir = Files.createDirectories(tmp.resolve("used"));
    Files.writeString(dir.resolve("something"), "keep me");
    SnapshotRestore.Refused e = assertThrows(SnapshotRestore.Refused.class,
        () -> SnapshotRestore.restore(file, dir, 1, members(1, 2, 3)));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    try (var left = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("something")), left.toList());
    }
  }

  @Test
  void aNodeIdOutsideTheMembersIsRefused() throws Exception {
    Path file = backup(data(1000));
    assertThrows(SnapshotRestore.Refused.class, () -> SnapshotRestore.restore(file, tmp.resolve("d"), 9, members(1, 2, 3)));
    assertFalse(Files.exists(tmp.resolve("d")));
  }

  @Test
  void aCommitWhoseBytesDoNotMatchTheAnnouncedChecksumLeavesNoFile() throws Exception {
    Path file = tmp.resolve("b.snap");
    SnapshotMeta meta = new SnapshotMeta(LAST, new StoredMembership(LAST, Membership.ofVoters(members(1))), "x");
    try (BackupFile.Writer writer = BackupFile.create(file, meta)) {
      writer.write(new byte[] {1, 2, 3});
      assertThrows(CorruptDataException.class, () -> writer.commit(3, 12345));
    }
    assertFalse(Files.exists(file));
    assertFalse(Files.exists(tmp.resolve("b.snap.part")));
  }
}
