package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

class PendingCallsTest {
  private static final class File implements PendingCalls.Attachment {
    int discarded;

    @Override
    public void discard() {
      discarded++;
    }
  }

  @Test
  void everyCallOfEveryKindGetsItsOwnToken() {
    PendingCalls calls = new PendingCalls();
    Promise<Long> read = Promise.promise();
    Promise<String> vote = Promise.promise();
    long a = calls.add(read);
    long b = calls.add(vote);
    long c = calls.nextToken();
    assertNotEquals(a, b);
    assertNotEquals(b, c);
    calls.complete(b, "granted");
    calls.complete(a, 7L);
    assertEquals(7L, read.future().result());
    assertEquals("granted", vote.future().result());
    calls.complete(a, 8L); // answered already: ignored
    assertEquals(7L, read.future().result());
  }

  @Test
  void anUnclaimedAttachmentIsDiscardedWhenTheCallEndsAndAClaimedOneIsNot() {
    PendingCalls calls = new PendingCalls();
    File unused = new File();
    File installed = new File();
    long first = calls.add(Promise.promise(), unused);
    long second = calls.add(Promise.promise(), installed);
    assertSame(installed, calls.claim(second, File.class));
    assertNull(calls.claim(second, File.class), "an attachment is claimed once");
    calls.complete(first, null);
    calls.complete(second, null);
    assertEquals(1, unused.discarded);
    assertEquals(0, installed.discarded);
  }

  @Test
  void failAllFailsEveryCallAndDiscardsTheirAttachments() {
    PendingCalls calls = new PendingCalls();
    Promise<Void> p = Promise.promise();
    File file = new File();
    calls.add(p, file);
    Promise<Integer> taken = Promise.promise();
    long t = calls.add(taken);
    assertSame(taken, calls.take(t));
    calls.failAll(new IllegalStateException("stopping"));
    assertTrue(p.future().failed());
    assertEquals(1, file.discarded);
    assertTrue(!taken.future().isComplete(), "a call handed over is no longer this registry's to fail");
  }
}
