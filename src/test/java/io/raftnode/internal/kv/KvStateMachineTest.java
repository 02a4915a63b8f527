package io.raftnode.internal.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {
  private final KvStateMachine kv = new KvStateMachine();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private KvResult apply(long index, KvCommand command) {
    return KvCodec.decodeResult(kv.apply(index, KvCodec.encode(command)));
  }

  private KvResult get(String key) {
    return KvCodec.decodeResult(kv.query(KvCodec.encode(new KvCommand.Get(b(key)))));
  }

  @Test
  void putThenGetReturnsTheValueAndTheRevisionOfTheWrite() {
    assertEquals(7, apply(7, new KvCommand.Put(b("a"), b("1"))).revision());
    KvResult read = get("a");
    assertTrue(read.found());
    assertArrayEquals(b("1"), read.value());
    assertEquals(7, read.revision());
    assertFalse(get("missing").found());
  }

  @Test
  void deleteReportsWhetherAKeyWasThere() {
    apply(1, new KvCommand.Put(b("a"), b("1")));
    assertTrue(apply(2, new KvCommand.Delete(b("a"))).found());
    assertFalse(apply(3, new KvCommand.Delete(b("a"))).found());
    assertFalse(get("a").found());
  }

  @Test
  void compareAndSwapSwapsOnlyOnAMatch() {
    KvResult created = apply(1, new KvCommand.CompareAndSwap(b("a"), false, null, b("1")));
    assertTrue(created.found(), "absent key with expect_present=false swaps");
    KvResult mismatch = apply(2, new KvCommand.CompareAndSwap(b("a"), true, b("x"), b("2")));
    assertFalse(mismatch.found());
    assertTrue(mismatch.present());
    assertArrayEquals(b("1"), mismatch.value(), "a failed swap reports the current value");
    KvResult swapped = apply(3, new KvCommand.CompareAndSwap(b("a"), true, b("1"), b("2")));
    assertTrue(swapped.found());
    assertArrayEquals(b("2"), get("a").value());
    KvResult absentExpected = apply(4, new KvCommand.CompareAndSwap(b("a"), false, null, b("3")));
    assertFalse(absentExpected.found(), "expect_present=false fails when the key exists");
  }

  @Test
  void getThroughTheLogReadsWithoutChangingState() {
    apply(1, new KvCommand.Put(b("a"), b("1")));
    KvResult read = apply(2, new KvCommand.Get(b("a")));
    assertArrayEquals(b("1"), read.value());
    assertEquals(1, read.revision());
    assertEquals(1, kv.size());
  }

  @Test
  void malformedCommandsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> kv.apply(1, new byte[] {(byte) 0xc1}));
    assertThrows(IllegalArgumentException.class, () -> kv.query(KvCodec.encode(new KvCommand.Delete(b("a")))));
    assertNull(get("a").value());
  }
}
