package io.raftnode.internal.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftnode.statemachine.SnapshotWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A snapshot writes exactly the state at capture time, however the map changes while it is written. */
class KvSnapshotTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] put(String k, String v) {
    return KvCodec.encode(new KvCommand.Put(b(k), b(v)));
  }

  private static byte[] del(String k) {
    return KvCodec.encode(new KvCommand.Delete(b(k)));
  }

  private static Map<String, String> contents(KvStateMachine sm, int keys) {
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < keys; i++) {
      KvResult r = KvCodec.decodeResult(sm.query(KvCodec.encode(new KvCommand.Get(b("k" + i)))));
      if (r.found()) out.put("k" + i, new String(r.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static KvStateMachine restored(byte[] snapshot) throws Exception {
    KvStateMachine sm = new KvStateMachine();
    sm.restore(new ByteArrayInputStream(snapshot));
    return sm;
  }

  @Test
  void changesAfterTheCaptureDoNotReachTheSnapshot() throws Exception {
    KvStateMachine sm = new KvStateMachine();
    long index = 0;
    for (int i = 0; i < 100; i++) sm.apply(++index, put("k" + i, "v" + i));
    Map<String, String> atCapture = contents(sm, 200);
    SnapshotWriter w = sm.snapshot();
    for (int i = 0; i < 100; i += 3) sm.apply(++index, put("k" + i, "changed"));
    for (int i = 1; i < 100; i += 3) sm.apply(++index, del("k" + i));
    for (int i = 100; i < 200; i++) sm.apply(++index, put("k" + i, "new"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    w.writeTo(out);
    w.release();
    assertEquals(atCapture, contents(restored(out.toByteArray()), 200));
    // The live map kept every change, and tombstones are gone once the capture is released.
    sm.apply(++index, put("x", "y"));
    assertEquals(100 - 33 + 100 + 1, sm.size());
  }

  @Test
  void aWriterRacingTheAppliesStillWritesTheCapturedState() throws Exception {
    for (int round = 0; round < 8; round++) {
      KvStateMachine sm = new KvStateMachine();
      long index = 0;
      for (int i = 0; i < 5000; i++) sm.apply(++index, put("k" + i, "v" + i));
      Map<String, String> atCapture = contents(sm, 10000);
      SnapshotWriter w = sm.snapshot();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
        try {
          w.writeTo(out);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      for (int i = 0; i < 10000; i++) {
        int k = (i * 7919 + round) % 10000;
        sm.apply(++index, (i % 3 == 0) ? del("k" + k) : put("k" + k, "r" + round + "-" + i));
      }
      writing.get();
      w.release();
      assertEquals(atCapture, contents(restored(out.toByteArray()), 10000), "round " + round);
    }
  }

  @Test
  void restoreReplacesTheWholeState() throws Exception {
    KvStateMachine a = new KvStateMachine();
    a.apply(1, put("k1", "one"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SnapshotWriter w = a.snapshot();
    w.writeTo(out);
    w.release();
    KvStateMachine b = new KvStateMachine();
    b.apply(1, put("k2", "two"));
    b.restore(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(Map.of("k1", "one"), contents(b, 3));
    KvResult r = KvCodec.decodeResult(b.query(KvCodec.encode(new KvCommand.Get(b("k1")))));
    assertEquals(1, r.revision());
    assertArrayEquals(b("one"), r.value());
  }

  @Test
  void aRestoreWhileASnapshotIsBeingWrittenLeavesThatSnapshotIntact() throws Exception {
    KvStateMachine sm = new KvStateMachine();
    sm.apply(1, put("k0", "old"));
    SnapshotWriter w = sm.snapshot();
    KvStateMachine other = new KvStateMachine();
    other.apply(1, put("k1", "new"));
    ByteArrayOutputStream otherSnapshot = new ByteArrayOutputStream();
    other.writeSnapshot(otherSnapshot);
    sm.restore(new ByteArrayInputStream(otherSnapshot.toByteArray()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    w.writeTo(out);
    w.release();
    assertEquals(Map.of("k0", "old"), contents(restored(out.toByteArray()), 2));
    assertEquals(Map.of("k1", "new"), contents(sm, 2));
  }
}
