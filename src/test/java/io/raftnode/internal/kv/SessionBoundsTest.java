package io.raftnode.internal.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once table's bounds across clients: over the total, the least recently written client with more than
 * one answer gives up its lowest, and only when every client is down to one does the least recently written client
 * give up its last; its floor stays, so a retry of that write is refused rather than applied again. Only the bound
 * on clients forgets a client. Every node given the same log keeps and forgets the same.
 */
class SessionBoundsTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KvResult put(KvStateMachine kv, long index, String client, long seq) {
    KvCommand command = new KvCommand.Put(b(client + seq), b("v"), new RequestId(client, seq));
    return KvCodec.decodeResult(kv.apply(index, KvCodec.encode(command)));
  }

  private static KvResult get(KvStateMachine kv, String key) {
    return KvCodec.decodeResult(kv.query(KvCodec.encode(new KvCommand.Get(b(key)))));
  }

  /** True when a retry of (client, seq) is answered from the table, with the first answer's revision. */
  private static boolean remembered(KvStateMachine kv, long index, String client, long seq, long firstRevision) {
    KvResult r = put(kv, index, client, seq);
    return r.error() == null && r.revision() == firstRevision;
  }

  @Test
  void overTheTotalTheIdlestClientWithSurplusGivesUpItsLowestAnswer() {
    KvStateMachine kv = new KvStateMachine(new SessionLimits(10, 6, 6, 1 << 20));
    long i = 0;
    for (int seq = 1; seq <= 4; seq++) put(kv, ++i, "a", seq); // a: 1..4 at indexes 1..4
    put(kv, ++i, "b", 1);                                      // b: 1 at 5
    put(kv, ++i, "c", 1);                                      // c: 1, 2 at 6, 7
    put(kv, ++i, "c", 2);                                      // 7 answers: a, idlest with surplus, loses 1
    assertEquals(6, kv.answerCount());
    put(kv, ++i, "d", 1);                                      // a again, not b (b has only its newest)
    assertEquals(6, kv.answerCount());

    assertTrue(put(kv, ++i, "a", 1).error().contains("stale"), "a's 1 is gone, and its floor rose past it");
    assertTrue(put(kv, ++i, "a", 2).error().contains("stale"));
    assertTrue(remembered(kv, ++i, "a", 3, 3));
    assertTrue(remembered(kv, ++i, "b", 1, 5), "a client's newest answer goes last");
    assertTrue(remembered(kv, ++i, "c", 1, 6));
    assertEquals(4, kv.clientCount());
  }

  @Test
  void whenEveryClientHoldsOneAnswerTheIdlestLosesItButKeepsItsFloor() {
    KvStateMachine kv = new KvStateMachine(new SessionLimits(10, 4, 4, 1 << 20));
    long i = 0;
    for (String client : List.of("a", "b", "c", "d")) put(kv, ++i, client, 1);
    put(kv, ++i, "b", 1); // a retry: b is now the most recently written
    put(kv, ++i, "e", 1); // 5 answers, one each: a, the idlest, loses its answer
    assertEquals(5, kv.clientCount(), "only max_clients forgets a client");
    assertEquals(4, kv.answerCount());
    assertTrue(remembered(kv, ++i, "b", 1, 2));
    KvResult retry = put(kv, ++i, "a", 1);
    assertTrue(retry.error().contains("stale sequence 1"), "a's retry is refused, not applied again: " + retry);
    assertEquals(1, get(kv, "a1").revision(), "a's write applied once, at index 1");
    assertEquals(++i, put(kv, i, "a", 2).revision(), "a's next write applies");
  }

  @Test
  void theBytesOfTheAnswersAreBoundedToo() {
    byte[] big = new byte[1000];
    KvStateMachine kv = new KvStateMachine(new SessionLimits(10, 100, 100, 3500));
    long i = 0;
    for (int seq = 1; seq <= 5; seq++) {
      // A CompareAndSwap's answer holds the value: about 1 KB each.
      kv.apply(++i, KvCodec.encode(new KvCommand.CompareAndSwap(b("k" + seq), false, null, big, new RequestId("a", seq))));
    }
    assertEquals(3, kv.answerCount(), "three answers of about 1 KB fit in 3500 bytes");
    KvResult retry = KvCodec.decodeResult(kv.apply(++i, KvCodec.encode(
        new KvCommand.CompareAndSwap(b("k3"), false, null, big, new RequestId("a", 3)))));
    assertNull(retry.error());
    assertTrue(retry.found());
    assertArrayEquals(big, retry.value());
  }

  @Test
  void limitsThatCannotHoldOneClientsBoundAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SessionLimits(10, 8, 4, 1 << 20));
    assertThrows(IllegalArgumentException.class, () -> new SessionLimits(0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new SessionLimits(1, 1, 1, 0));
  }

  @Test
  void everyNodeKeepsAndForgetsTheSame() throws Exception {
    SessionLimits limits = new SessionLimits(7, 5, 20, 4000);
    List<byte[]> log = randomLog(new Random(42), 3000);
    KvStateMachine one = new KvStateMachine(limits);
    KvStateMachine two = new KvStateMachine(limits);
    for (int k = 0; k < log.size(); k++) {
      assertArrayEquals(one.apply(k + 1, log.get(k)), two.apply(k + 1, log.get(k)), "answer at index " + (k + 1));
    }
    assertTrue(one.answerCount() <= 20 && one.clientCount() <= 7);
    assertArrayEquals(snapshot(one), snapshot(two));
  }

  /**
   * Writes of 10 clients with windows of up to 8 sequences, reordered and retried, some saying first_incomplete:
   * enough to hit every bound of small limits.
   */
  static List<byte[]> randomLog(Random random, int entries) {
    long[] next = new long[10];
    long[] acked = new long[10];
    List<byte[]> log = new ArrayList<>();
    for (int k = 0; k < entries; k++) {
      int c = random.nextInt(10);
      if (next[c] == acked[c] || random.nextInt(3) > 0) next[c]++;
      if (random.nextInt(4) == 0) acked[c] = Math.min(next[c], acked[c] + random.nextInt(3));
      long seq = Math.max(1, next[c] - random.nextInt(8));
      long firstIncomplete = c % 2 == 0 ? 0 : Math.min(seq, acked[c]);
      RequestId id = new RequestId("client-" + c, seq, firstIncomplete);
      byte[] key = b("k" + random.nextInt(20));
      KvCommand command = random.nextBoolean()
          ? new KvCommand.Put(key, b("v" + k), id)
          : new KvCommand.CompareAndSwap(key, false, null, new byte[random.nextInt(300)], id);
      log.add(KvCodec.encode(command));
    }
    return log;
  }

  static byte[] snapshot(KvStateMachine kv) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    kv.writeSnapshot(out);
    return out.toByteArray();
  }
}
