package io.raftnode.internal.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Writes carrying a RequestId apply at most once (Raft thesis §6.3). */
class KvExactlyOnceTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KvResult apply(KvStateMachine kv, long index, KvCommand command) {
    return KvCodec.decodeResult(kv.apply(index, KvCodec.encode(command)));
  }

  private static KvResult get(KvStateMachine kv, String key) {
    return KvCodec.decodeResult(kv.query(KvCodec.encode(new KvCommand.Get(b(key)))));
  }

  private static KvCommand put(String key, String value, String client, long seq) {
    return new KvCommand.Put(b(key), b(value), new RequestId(client, seq));
  }

  @Test
  void aRetriedWriteAppliesOnceAndGetsTheFirstAnswer() {
    KvStateMachine kv = new KvStateMachine();
    assertEquals(5, apply(kv, 5, put("a", "1", "c", 1)).revision());
    apply(kv, 6, new KvCommand.Put(b("a"), b("other")));
    // The same write committed again (a client retry after a timeout or a leader change) changes nothing.
    KvResult retry = apply(kv, 7, put("a", "1", "c", 1));
    assertEquals(5, retry.revision());
    assertNull(retry.error());
    assertArrayEquals(b("other"), get(kv, "a").value());
    assertEquals(6, get(kv, "a").revision());

    assertEquals(8, apply(kv, 8, put("a", "2", "c", 2)).revision(), "the next sequence applies");
  }

  @Test
  void deleteAndCompareAndSwapRetriesAreAnsweredFromTheRecord() {
    KvStateMachine kv = new KvStateMachine();
    apply(kv, 1, new KvCommand.Put(b("k"), b("v")));
    KvCommand delete = new KvCommand.Delete(b("k"), new RequestId("d", 1));
    assertTrue(apply(kv, 2, delete).found());
    assertTrue(apply(kv, 3, delete).found(), "still reports the key it deleted the first time");

    KvCommand cas = new KvCommand.CompareAndSwap(b("k"), false, null, b("new"), new RequestId("s", 9));
    assertTrue(apply(kv, 4, cas).found());
    KvResult again = apply(kv, 5, cas);
    assertTrue(again.found(), "a swap applied once is reported as done, not as a failed compare");
    assertEquals(4, again.revision());
    assertEquals(4, get(kv, "k").revision());
  }

  @Test
  void aSequenceBelowTheClientsFloorIsRefusedWithAClearError() {
    KvStateMachine kv = new KvStateMachine();
    // The client has every answer below 4: a copy of sequence 3 arriving now is a late duplicate.
    apply(kv, 1, new KvCommand.Put(b("a"), b("1"), new RequestId("c", 4, 4)));
    KvResult stale = apply(kv, 2, put("a", "0", "c", 3));
    assertTrue(stale.error().contains("stale sequence 3"), stale.error());
    assertTrue(stale.error().contains("below 4"), stale.error());
    assertFalse(stale.found());
    assertArrayEquals(b("1"), get(kv, "a").value());
    assertEquals(1, get(kv, "a").revision());
  }

  @Test
  void theTableIsBoundedAndEveryNodeForgetsTheSameClient() {
    KvStateMachine one = new KvStateMachine(2);
    KvStateMachine two = new KvStateMachine(2);
    for (KvStateMachine kv : new KvStateMachine[] {one, two}) {
      apply(kv, 1, put("x", "1", "a", 1));
      apply(kv, 2, put("x", "2", "b", 1));
      apply(kv, 3, put("x", "1", "a", 1)); // a retry refreshes client a
      apply(kv, 4, put("x", "3", "c", 1)); // a third client: b, idle longest, is forgotten
      assertEquals(2, kv.clientCount());
    }
    for (KvStateMachine kv : new KvStateMachine[] {one, two}) {
      assertEquals(1, apply(kv, 5, put("x", "1", "a", 1)).revision(), "a is still remembered");
      assertEquals(6, apply(kv, 6, put("x", "2", "b", 1)).revision(), "b was forgotten: applied again");
    }
  }

  @Test
  void theTableSurvivesASnapshotRoundTrip() throws Exception {
    KvStateMachine kv = new KvStateMachine(2);
    apply(kv, 1, put("a", "1", "c1", 1));
    apply(kv, 2, put("b", "2", "c2", 7));
    apply(kv, 3, new KvCommand.Put(b("plain"), b("p")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    kv.writeSnapshot(out);

    KvStateMachine restored = new KvStateMachine(2);
    restored.readSnapshot(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(3, restored.size());
    assertEquals(2, restored.clientCount());
    assertArrayEquals(b("p"), get(restored, "plain").value());
    assertEquals(2, get(restored, "b").revision());
    assertEquals(2, apply(restored, 4, put("b", "2", "c2", 7)).revision(), "a retry after restore applies once");
    assertEquals(5, apply(restored, 5, put("b", "2", "c2", 6)).revision(), "an older sequence, never applied, applies");
    // The eviction order came through too: c1 (index 1) is the oldest, so a new client pushes it out.
    apply(restored, 6, put("z", "z", "c3", 1));
    assertEquals(7, apply(restored, 7, put("a", "1", "c1", 1)).revision(), "c1 was forgotten first");
  }
}
