package io.raftnode.internal.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A client with several writes in flight: its sequences reach the log in any order and any of them may be retried,
 * and each still applies once and every retry gets the first answer.
 */
class PipelinedRequestIdsTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KvResult apply(KvStateMachine kv, long index, KvCommand command) {
    return KvCodec.decodeResult(kv.apply(index, KvCodec.encode(command)));
  }

  private static KvResult get(KvStateMachine kv, String key) {
    return KvCodec.decodeResult(kv.query(KvCodec.encode(new KvCommand.Get(b(key)))));
  }

  private static KvCommand casAbsent(String key, String value, RequestId id) {
    return new KvCommand.CompareAndSwap(b(key), false, null, b(value), id);
  }

  @Test
  void reorderedSequencesEachApplyOnce() {
    KvStateMachine kv = new KvStateMachine();
    KvResult five = apply(kv, 10, casAbsent("k5", "v5", new RequestId("c", 5)));
    KvResult four = apply(kv, 11, casAbsent("k4", "v4", new RequestId("c", 4)));
    assertNull(four.error(), "sequence 4 was never applied: it applies now");
    assertTrue(five.found());
    assertTrue(four.found());
    assertEquals(11, get(kv, "k4").revision());
    assertEquals(10, get(kv, "k5").revision());
  }

  @Test
  void aRetryOfAnyOutstandingSequenceGetsItsFirstAnswer() {
    KvStateMachine kv = new KvStateMachine();
    long index = 0;
    KvResult[] first = new KvResult[9];
    for (int seq = 1; seq <= 8; seq++) first[seq] = apply(kv, ++index, casAbsent("k" + seq, "v" + seq, new RequestId("c", seq)));
    apply(kv, ++index, new KvCommand.Put(b("k3"), b("overwritten")));
    for (int seq = 8; seq >= 1; seq--) {
      KvResult retry = apply(kv, ++index, casAbsent("k" + seq, "v" + seq, new RequestId("c", seq)));
      assertNull(retry.error(), "sequence " + seq);
      assertTrue(retry.found(), "sequence " + seq + " is reported swapped, as the first time");
      assertEquals(first[seq].revision(), retry.revision(), "sequence " + seq);
      assertArrayEquals(first[seq].value(), retry.value(), "sequence " + seq);
    }
    assertArrayEquals(b("overwritten"), get(kv, "k3").value(), "no retry applied again");
    assertEquals(9, get(kv, "k3").revision());
  }

  @Test
  void raisingTheFloorForgetsTheAnswersBelowItAndALateCopyOfThemIsRefused() {
    KvStateMachine kv = new KvStateMachine();
    long index = 0;
    for (int seq = 1; seq <= 5; seq++) apply(kv, ++index, casAbsent("k" + seq, "v" + seq, new RequestId("c", seq, 1)));
    assertEquals(5, kv.answerCount());
    // The client has the answers of 1..3 and says so with its next write.
    KvResult six = apply(kv, ++index, casAbsent("k6", "v6", new RequestId("c", 6, 4)));
    assertTrue(six.found());
    assertEquals(3, kv.answerCount(), "4, 5 and 6 are kept");
    assertEquals(4, apply(kv, ++index, casAbsent("k4", "v4", new RequestId("c", 4, 4))).revision(),
        "4 is still outstanding: its retry gets the first answer");
    apply(kv, ++index, new KvCommand.Delete(b("k2")));
    KvResult late = apply(kv, ++index, casAbsent("k2", "v2", new RequestId("c", 2, 1)));
    assertTrue(late.error().startsWith("stale sequence 2 for client \"c\""), late.error());
    assertFalse(get(kv, "k2").found(), "the late copy changed nothing");
    assertEquals(3, kv.answerCount());
  }

  @Test
  void aFloorNeverGoesDown() {
    KvStateMachine kv = new KvStateMachine();
    apply(kv, 1, casAbsent("k5", "v5", new RequestId("c", 5, 5)));
    // An older copy of a later write, sent before the client knew more, says less: the floor stays at 5.
    apply(kv, 2, casAbsent("k7", "v7", new RequestId("c", 7, 2)));
    assertTrue(apply(kv, 3, casAbsent("k4", "v4", new RequestId("c", 4, 4))).error().contains("below 5"));
    assertFalse(get(kv, "k4").found());
  }

  @Test
  void aClientThatSaysNothingKeepsItsAnswersUpToItsBound() {
    KvStateMachine kv = new KvStateMachine(new SessionLimits(10, 4, 100, 1 << 20));
    long index = 0;
    KvResult[] first = new KvResult[7];
    for (int seq = 1; seq <= 6; seq++) first[seq] = apply(kv, ++index, casAbsent("k" + seq, "v" + seq, new RequestId("old", seq)));
    assertEquals(4, kv.answerCount(), "the bound keeps the newest 4");
    for (int seq = 6; seq >= 3; seq--) {
      assertEquals(first[seq].revision(), apply(kv, ++index, casAbsent("k" + seq, "v" + seq, new RequestId("old", seq))).revision());
    }
    KvResult dropped = apply(kv, ++index, casAbsent("k2", "v2", new RequestId("old", 2)));
    assertTrue(dropped.error().contains("stale sequence 2") && dropped.error().contains("below 3"), dropped.error());
    assertEquals(2, get(kv, "k2").revision(), "applied once, by its first copy");
  }

  @Test
  void aReorderedWriteBelowAFullWindowAppliesButItsAnswerIsNotKept() {
    KvStateMachine kv = new KvStateMachine(new SessionLimits(10, 3, 100, 1 << 20));
    long index = 0;
    for (int seq = 5; seq <= 7; seq++) apply(kv, ++index, casAbsent("k" + seq, "v" + seq, new RequestId("c", seq)));
    KvResult four = apply(kv, ++index, casAbsent("k4", "v4", new RequestId("c", 4)));
    assertTrue(four.found(), "4 was never applied: it applies, and its caller gets the answer");
    assertTrue(apply(kv, ++index, casAbsent("k4", "v4", new RequestId("c", 4))).error().contains("stale"),
        "the window is full of higher sequences: 4's answer went at once, so its retry is refused, not applied again");
    assertEquals(4, get(kv, "k4").revision());
    assertEquals(3, kv.answerCount());
  }

  @Test
  void firstIncompleteAboveTheSequenceIsNoRequestId() {
    assertThrowsIllegal(() -> new RequestId("c", 3, 4));
    assertThrowsIllegal(() -> new RequestId("c", 3, -1));
    assertEquals(3, new RequestId("c", 3, 3).firstIncomplete());
  }

  private static void assertThrowsIllegal(Runnable r) {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
  }
}
