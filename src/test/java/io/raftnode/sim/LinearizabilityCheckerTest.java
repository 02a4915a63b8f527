package io.raftnode.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The checker on hand-made histories. Each history is built in real-time order: ops invoked and completed in the
 * order of the calls below, so "a completes before b is invoked" is written as completing a before invoking b.
 */
class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  private boolean linearizable(History h) {
    LinearizabilityChecker.Result r = checker.check(h.ops());
    assertFalse(r.inconclusive(), r.explanation());
    return r.linearizable();
  }

  @Test
  void sequentialPutThenGetIsLinearizable() {
    History h = new History();
    h.ok(h.put(1, "k", "a"), true, null);
    h.ok(h.get(2, "k"), true, "a");
    assertTrue(linearizable(h));
  }

  @Test
  void readingAnOverwrittenValueIsNotLinearizable() {
    History h = new History();
    h.ok(h.put(1, "k", "a"), true, null);
    h.ok(h.put(1, "k", "b"), true, null);
    h.ok(h.get(2, "k"), true, "a");
    assertFalse(linearizable(h));
  }

  @Test
  void readingAbsentAfterACompletedWriteIsNotLinearizable() {
    History h = new History();
    h.ok(h.put(1, "k", "a"), true, null);
    h.ok(h.get(2, "k"), false, null);
    assertFalse(linearizable(h));
  }

  @Test
  void aReadConcurrentWithAWriteMaySeeEitherValue() {
    for (String seen : new String[] {null, "a"}) {
      History h = new History();
      History.Op put = h.put(1, "k", "a");
      History.Op get = h.get(2, "k");
      h.ok(get, seen != null, seen);
      h.ok(put, true, null);
      assertTrue(linearizable(h), "read " + seen);
    }
  }

  @Test
  void readsMustNotGoBackInTime() {
    // Two sequential reads during a write: once the new value is seen, the old one may not come back.
    History h = new History();
    History.Op put = h.put(1, "k", "b");
    h.ok(h.get(2, "k"), true, "b");
    h.ok(h.get(2, "k"), false, null);
    h.ok(put, true, null);
    assertFalse(linearizable(h));
  }

  @Test
  void aWriteOfUnknownOutcomeMayHaveTakenEffect() {
    History h = new History();
    h.unknown(h.put(1, "k", "a"));
    h.ok(h.get(2, "k"), true, "a");
    assertTrue(linearizable(h));
  }

  @Test
  void aWriteOfUnknownOutcomeMayNeverTakeEffect() {
    History h = new History();
    h.unknown(h.put(1, "k", "a"));
    h.ok(h.get(2, "k"), false, null);
    h.ok(h.get(2, "k"), false, null);
    assertTrue(linearizable(h));
  }

  @Test
  void aWriteOfUnknownOutcomeCannotTakeEffectBeforeItWasInvoked() {
    History h = new History();
    h.ok(h.get(2, "k"), true, "a");
    h.unknown(h.put(1, "k", "a"));
    assertFalse(linearizable(h));
  }

  @Test
  void aWriteOfUnknownOutcomeTakesEffectAtMostOnce() {
    History h = new History();
    h.unknown(h.put(1, "k", "a"));
    h.ok(h.get(2, "k"), true, "a");
    h.ok(h.put(2, "k", "b"), true, null);
    h.ok(h.get(2, "k"), true, "a");
    assertFalse(linearizable(h));
  }

  @Test
  void compareAndSwapFollowsTheRegister() {
    History h = new History();
    h.ok(h.cas(1, "k", false, null, "a"), true, "a");
    h.ok(h.cas(2, "k", true, "a", "b"), true, "b");
    h.ok(h.cas(1, "k", true, "a", "c"), false, "b");
    h.ok(h.get(2, "k"), true, "b");
    assertTrue(linearizable(h));
  }

  @Test
  void twoSwapsFromTheSameValueCannotBothSucceed() {
    History h = new History();
    h.ok(h.put(1, "k", "a"), true, null);
    History.Op x = h.cas(1, "k", true, "a", "b");
    History.Op y = h.cas(2, "k", true, "a", "c");
    h.ok(x, true, "b");
    h.ok(y, true, "c");
    assertFalse(linearizable(h));
  }

  @Test
  void aFailedSwapMustReportTheCurrentValue() {
    History h = new History();
    h.ok(h.put(1, "k", "a"), true, null);
    h.ok(h.cas(2, "k", true, "z", "b"), false, "q");
    assertFalse(linearizable(h));
  }

  @Test
  void keysAreIndependentRegisters() {
    History h = new History();
    h.ok(h.put(1, "x", "a"), true, null);
    h.ok(h.get(2, "y"), false, null);
    h.ok(h.get(2, "x"), true, "a");
    assertTrue(linearizable(h));
    h.ok(h.get(2, "y"), true, "a");
    assertFalse(linearizable(h));
  }

  @Test
  void manyConcurrentWritesWithUnknownOutcomesStayTractable() {
    // Forty writes of unknown outcome, reads seeing one of them: only the observed write needs placing.
    History h = new History();
    for (int c = 0; c < 40; c++) h.unknown(h.put(c, "k", "v" + c));
    h.ok(h.get(99, "k"), true, "v17");
    h.ok(h.get(99, "k"), true, "v17");
    assertTrue(linearizable(h));
    h.ok(h.get(99, "k"), true, "v3");
    assertTrue(linearizable(h));
    h.ok(h.get(99, "k"), true, "v17");
    assertFalse(linearizable(h), "v17 would take effect twice");
  }

  @Test
  void anUnobservedUnknownWriteDoesNotHideAViolation() {
    History h = new History();
    h.ok(h.put(1, "k", "a"), true, null);
    h.unknown(h.put(2, "k", "b"));
    h.ok(h.get(3, "k"), false, null);
    assertFalse(linearizable(h));
  }

  @Test
  void anUnknownSwapMayExplainAValue() {
    History h = new History();
    h.ok(h.put(1, "k", "a"), true, null);
    h.unknown(h.cas(2, "k", true, "a", "b"));
    h.ok(h.get(3, "k"), true, "b");
    h.ok(h.cas(3, "k", true, "b", "c"), true, "c");
    assertTrue(linearizable(h));
    h.ok(h.get(3, "k"), true, "b");
    assertFalse(linearizable(h));
  }
}
