package io.raftnode.internal.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The store's size as the quota (limits.max_store_bytes) sees it: each key counts its key and value bytes plus a
 * fixed overhead, whatever was written before it; deletes free a key's bytes at once; compaction and snapshots
 * change nothing of it.
 */
class StoreBytesTest {
  private final KvStateMachine kv = new KvStateMachine();
  private long index;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void apply(KvCommand command) {
    kv.apply(++index, KvCodec.encode(command));
  }

  private static long cost(int keyBytes, int valueBytes) {
    return KvStateMachine.storeBytesOf(keyBytes, valueBytes);
  }

  @Test
  void anEmptyStoreHoldsNothing() {
    assertEquals(0, kv.storeBytes());
  }

  @Test
  void aPutCountsItsKeyAndValueAndTheOverheadOfAKey() {
    apply(new KvCommand.Put(b("key"), new byte[100]));
    assertEquals(cost(3, 100), kv.storeBytes());
    assertEquals(3 + 100 + RecordArena.HEADER + PackedKvMap.TABLE_BYTES_PER_KEY, kv.storeBytes());
    apply(new KvCommand.Put(b("other"), new byte[10]));
    assertEquals(cost(3, 100) + cost(5, 10), kv.storeBytes());
  }

  @Test
  void aReplacementCountsOnlyTheNewValue() {
    apply(new KvCommand.Put(b("key"), new byte[100]));
    apply(new KvCommand.Put(b("key"), new byte[1000]));
    assertEquals(cost(3, 1000), kv.storeBytes(), "larger");
    apply(new KvCommand.Put(b("key"), new byte[10]));
    assertEquals(cost(3, 10), kv.storeBytes(), "smaller");
    apply(new KvCommand.CompareAndSwap(b("key"), true, new byte[10], new byte[50]));
    assertEquals(cost(3, 50), kv.storeBytes(), "a swap that matched");
    apply(new KvCommand.CompareAndSwap(b("key"), true, new byte[10], new byte[5000]));
    assertEquals(cost(3, 50), kv.storeBytes(), "a swap that did not match changes nothing");
  }

  @Test
  void aDeleteFreesTheKeysBytesAtOnce() {
    apply(new KvCommand.Put(b("a"), new byte[100]));
    apply(new KvCommand.Put(b("b"), new byte[200]));
    apply(new KvCommand.Delete(b("a")));
    assertEquals(cost(1, 200), kv.storeBytes());
    apply(new KvCommand.Delete(b("missing")));
    assertEquals(cost(1, 200), kv.storeBytes());
    apply(new KvCommand.Delete(b("b")));
    assertEquals(0, kv.storeBytes());
  }

  @Test
  void compactionMovesRecordsWithoutChangingTheCount() {
    PackedKvMap map = new PackedKvMap(0, 0); // compacts as soon as dead bytes exceed the live ones
    byte[] value = new byte[4000];
    for (int round = 0; round < 20; round++) {
      for (int n = 0; n < 500; n++) map.put(key(n), value, round * 500L + n);
    }
    assertTrue(map.droppedChunks() > 0, "the rewrites compacted the arena");
    assertEquals(500 * cost(8, 4000), map.storeBytes());
    for (int n = 0; n < 250; n++) map.remove(key(n));
    assertEquals(250 * cost(8, 4000), map.storeBytes());
  }

  @Test
  void aRestoredStoreCountsWhatTheSnapshotHolds() throws Exception {
    apply(new KvCommand.Put(b("a"), new byte[100]));
    apply(new KvCommand.Put(b("a"), new byte[300]));
    apply(new KvCommand.Put(b("b"), new byte[7]));
    ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
    kv.writeSnapshot(snapshot);
    KvStateMachine restored = new KvStateMachine();
    restored.readSnapshot(new ByteArrayInputStream(snapshot.toByteArray()));
    assertEquals(kv.storeBytes(), restored.storeBytes());
    assertEquals(cost(1, 300) + cost(1, 7), restored.storeBytes());
  }

  private static byte[] key(int n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }
}
