package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AppliedBytesTest {
  @Test
  void countsTheBytesAppliedAfterAnIndex() {
    AppliedBytes bytes = new AppliedBytes();
    for (long i = 1; i <= 10; i++) bytes.applied(i, 100 * i);
    assertEquals(5500, bytes.bytesAfter(0));
    assertEquals(1000 + 900 + 800, bytes.bytesAfter(7));
    assertEquals(0, bytes.bytesAfter(10));
    assertThrows(IllegalArgumentException.class, () -> bytes.applied(10, 1), "indexes only go up");
  }

  @Test
  void theTailKeptIsBoundedByEntriesAndByBytes() {
    AppliedBytes bytes = new AppliedBytes();
    for (long i = 1; i <= 100; i++) bytes.applied(i, 1000);
    assertEquals(10, bytes.keepTail(50, 10, Long.MAX_VALUE), "the entry bound");
    assertEquals(3, bytes.keepTail(50, 10, 3500), "three 1000-byte entries fit in 3500 bytes");
    assertEquals(0, bytes.keepTail(50, 10, 999), "not even one");
    assertEquals(50, bytes.keepTail(50, 1000, Long.MAX_VALUE), "no more than were applied");
  }

  @Test
  void purgedEntriesAreForgottenAndTheSumsStayRightAcrossCompactions() {
    AppliedBytes bytes = new AppliedBytes();
    long index = 0;
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i < 500; i++) bytes.applied(++index, 10);
      bytes.purgedUpTo(index - 100);
      assertEquals(1000, bytes.bytesAfter(index - 100), "round " + round);
      assertEquals(1000, bytes.bytesAfter(0), "only what is still in the log, round " + round);
      assertEquals(20, bytes.keepTail(index, 20, Long.MAX_VALUE));
      assertEquals(100, bytes.keepTail(index, 1000, Long.MAX_VALUE), "purged entries are not kept");
    }
    bytes.purgedUpTo(index);
    assertEquals(0, bytes.bytesAfter(0));
    bytes.applied(index + 1, 7);
    assertEquals(7, bytes.bytesAfter(index));
  }
}
