package io.raftnode.internal.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exactly-once table in snapshots: all of it comes back, and snapshots of the older format still restore. */
class SessionSnapshotTest {

  /**
   * A snapshot written by the format-1 code (one answer per client): keys k = x (revision 4) and p = q (2);
   * client "b" last applied sequence 7 (a CompareAndSwap k: v -> w at index 3), client "a" sequence 4 (a Put of k
   * at index 4), "b" being the least recently written.
   */
  static final String FORMAT_ONE = "83a6666f726d617401a4646174619293c4016bc401780493c40170c4017102a873657373696f6e"
      + "739294a1620703c42484a87265766973696f6e03a5666f756e64c3a770726573656e74c3a576616c7565c4017794a1610404c41b83"
      + "a87265766973696f6e04a5666f756e64c3a770726573656e74c3";

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KvResult apply(KvStateMachine kv, long index, KvCommand command) {
    return KvCodec.decodeResult(kv.apply(index, KvCodec.encode(command)));
  }

  private static KvResult get(KvStateMachine kv, String key) {
    return KvCodec.decodeResult(kv.query(KvCodec.encode(new KvCommand.Get(b(key)))));
  }

  private static KvStateMachine restored(SessionLimits limits, byte[] snapshot) throws IOException {
    KvStateMachine kv = new KvStateMachine(limits);
    kv.readSnapshot(new ByteArrayInputStream(snapshot));
    return kv;
  }

  @Test
  void aRestoredNodeGoesOnExactlyAsTheNodeItCameFrom() throws Exception {
    SessionLimits limits = new SessionLimits(7, 5, 20, 4000);
    List<byte[]> log = SessionBoundsTest.randomLog(new Random(7), 4000);
    KvStateMachine original = new KvStateMachine(limits);
    for (int k = 0; k < 2000; k++) original.apply(k + 1, log.get(k));
    byte[] snapshot = SessionBoundsTest.snapshot(original);
    KvStateMachine copy = restored(limits, snapshot);
    assertArrayEquals(snapshot, SessionBoundsTest.snapshot(copy), "floors, answers and the order all came back");
    assertEquals(original.answerCount(), copy.answerCount());
    assertTrue(original.answerCount() > original.clientCount(), "clients held several answers");
    for (int k = 2000; k < log.size(); k++) {
      assertArrayEquals(original.apply(k + 1, log.get(k)), copy.apply(k + 1, log.get(k)), "answer at index " + (k + 1));
    }
    assertArrayEquals(SessionBoundsTest.snapshot(original), SessionBoundsTest.snapshot(copy));
  }

  @Test
  void aClientWhoseAnswersTheBoundsTookKeepsItsFloorThroughASnapshot() throws Exception {
    SessionLimits limits = new SessionLimits(10, 2, 2, 1 << 20);
    KvStateMachine kv = new KvStateMachine(limits);
    apply(kv, 1, new KvCommand.Put(b("a1"), b("1"), new RequestId("a", 1)));
    apply(kv, 2, new KvCommand.Put(b("b1"), b("1"), new RequestId("b", 1)));
    apply(kv, 3, new KvCommand.Put(b("c1"), b("1"), new RequestId("c", 1))); // a, the idlest, loses its answer
    assertEquals(3, kv.clientCount());
    assertEquals(2, kv.answerCount());
    KvStateMachine copy = restored(limits, SessionBoundsTest.snapshot(kv));
    assertEquals(3, copy.clientCount());
    KvResult retry = apply(copy, 4, new KvCommand.Put(b("a1"), b("again"), new RequestId("a", 1)));
    assertTrue(retry.error().contains("stale sequence 1"), "refused, not applied again: " + retry);
    assertArrayEquals(b("1"), get(copy, "a1").value());
    assertEquals(2, apply(copy, 5, new KvCommand.Put(b("b1"), b("1"), new RequestId("b", 1))).revision());
  }

  @Test
  void aSnapshotOfTheOlderFormatRestores() throws Exception {
    KvStateMachine kv = restored(SessionLimits.DEFAULT, HexFormat.of().parseHex(FORMAT_ONE));
    assertArrayEquals(b("x"), get(kv, "k").value());
    assertEquals(4, get(kv, "k").revision());
    assertArrayEquals(b("q"), get(kv, "p").value());
    assertEquals(2, kv.clientCount());

    assertEquals(4, apply(kv, 10, new KvCommand.Put(b("k"), b("x"), new RequestId("a", 4))).revision(),
        "the recorded answer of a's last write");
    KvResult cas = apply(kv, 11, new KvCommand.CompareAndSwap(b("k"), true, b("v"), b("w"), new RequestId("b", 7)));
    assertTrue(cas.found(), "b's swap is reported done, as the first time");
    assertEquals(3, cas.revision());
    assertArrayEquals(b("w"), cas.value());
    // The older node refused every sequence below the last; some of those had applied, so none applies now.
    KvResult older = apply(kv, 12, new KvCommand.Put(b("k"), b("old"), new RequestId("a", 3)));
    assertTrue(older.error().contains("stale sequence 3"), older.error());
    assertArrayEquals(b("x"), get(kv, "k").value());
    assertNull(apply(kv, 13, new KvCommand.Put(b("n"), b("1"), new RequestId("a", 5))).error(), "a's next write applies");
  }

  @Test
  void theOlderFormatKeepsItsForgettingOrder() throws Exception {
    KvStateMachine kv = restored(SessionLimits.withMaxClients(2), HexFormat.of().parseHex(FORMAT_ONE));
    apply(kv, 10, new KvCommand.Put(b("z"), b("1"), new RequestId("c", 1)));
    assertEquals(4, apply(kv, 11, new KvCommand.Put(b("k"), b("x"), new RequestId("a", 4))).revision(), "a is kept");
    KvResult again = apply(kv, 12, new KvCommand.CompareAndSwap(b("k"), true, b("v"), b("w"), new RequestId("b", 7)));
    assertNotEquals(3, again.revision(), "b, the least recently written, was forgotten first");
  }

  @Test
  void aSnapshotIsReadUnderTheLimitsOfTheNodeReadingIt() throws Exception {
    KvStateMachine big = new KvStateMachine(new SessionLimits(7, 5, 20, 4000));
    List<byte[]> log = SessionBoundsTest.randomLog(new Random(3), 500);
    for (int k = 0; k < log.size(); k++) big.apply(k + 1, log.get(k));
    KvStateMachine small = restored(new SessionLimits(3, 2, 4, 4000), SessionBoundsTest.snapshot(big));
    assertTrue(small.clientCount() <= 3 && small.answerCount() <= 4, small.clientCount() + " " + small.answerCount());
  }

  @Test
  void anUnknownFormatIsRefused() {
    byte[] three = HexFormat.of().parseHex("81a6666f726d617403");
    IOException e = assertThrows(IOException.class, () -> restored(SessionLimits.DEFAULT, three));
    assertTrue(e.getMessage().contains("unknown key-value snapshot format 3"), e.getMessage());
  }
}
