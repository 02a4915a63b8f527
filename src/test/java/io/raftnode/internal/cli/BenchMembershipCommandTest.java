package io.raftnode.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** bench-membership's command line: help, and usage errors caught before any node starts. */
class BenchMembershipCommandTest {
  @Test
  void helpListsTheOptions() {
    CommandLineTest.Result r = CommandLineTest.run("bench-membership", "--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("--parts") && r.out().contains("--keys") && r.out().contains("--concurrency"), r.out());
  }

  @Test
  void anUnknownPartIsAUsageError() {
    CommandLineTest.Result r = CommandLineTest.run("bench-membership", "--parts", "catch-up,bogus");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("unknown part bogus"), r.err());
  }

  @Test
  void aNonNumberIsAUsageError() {
    CommandLineTest.Result r = CommandLineTest.run("bench-membership", "--reps", "many");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--reps"), r.err());
  }
}
