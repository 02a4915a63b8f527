package io.raftnode.internal.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.StoredMembership;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot files: round trip, the newest wins, two are kept, temp files vanish, damage is caught. */
class SnapshotStoreTest {
  @TempDir
  Path dir;

  private static SnapshotMeta meta(long index) {
    return new SnapshotMeta(LogId.of(2, 1, index), new StoredMembership(LogId.of(1, 1, 1), Membership.empty()), "s" + index);
  }

  private static StoredSnapshot write(SnapshotStore store, long index, byte[] data) throws Exception {
    try (SnapshotStore.Writer w = store.create(meta(index))) {
      OutputStream out = w.data();
      out.write(data);
      out.flush();
      w.finish();
      return store.install(w);
    }
  }

  private static byte[] data(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
    return b;
  }

  @Test
  void theNewestOfTheLastTwoIsKeptAndReadsBack() throws Exception {
    SnapshotStore store = SnapshotStore.open(dir);
    assertNull(store.latest());
    write(store, 10, data(100, 1));
    write(store, 30, data(200_000, 2));
    write(store, 20, data(5, 3));
    StoredSnapshot latest = store.latest();
    assertEquals(meta(30), latest.meta());
    try (InputStream in = latest.openData()) {
      assertArrayEquals(data(200_000, 2), in.readAllBytes());
    }
    try (Stream<Path> files = Files.list(store.dir())) {
      assertEquals(2, files.count(), "the two newest are kept");
    }
  }

  @Test
  void anUnfinishedSnapshotIsNeverSeenAndItsTempFileGoesAtOpen() throws Exception {
    SnapshotStore store = SnapshotStore.open(dir);
    SnapshotStore.Writer w = store.create(meta(5));
    w.write(new byte[] {1, 2, 3}, 0, 3);
    assertNull(store.latest());
    SnapshotStore.open(dir);
    try (Stream<Path> files = Files.list(store.dir())) {
      assertTrue(files.findAny().isEmpty(), "temp file deleted");
    }
  }

  @Test
  void aFlippedDataByteFailsTheChecksumWhenRead() throws Exception {
    SnapshotStore store = SnapshotStore.open(dir);
    StoredSnapshot s = write(store, 7, data(1000, 4));
    try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {(byte) 0x55}), s.dataOffset() + 500);
    }
    assertThrows(CorruptDataException.class, () -> {
      try (InputStream in = store.latest().openData()) {
        in.readAllBytes();
      }
    });
  }

  @Test
  void aDamagedHeaderIsCorruptData() throws Exception {
    SnapshotStore store = SnapshotStore.open(dir);
    StoredSnapshot s = write(store, 7, data(10, 5));
    try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {'X'}), 0);
    }
    assertThrows(CorruptDataException.class, store::latest);
  }
}
