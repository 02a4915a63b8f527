package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopHopTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void everyTaskRunsOnceOnTheTargetLoopInTheOrderEachSenderHandedItOver() throws Exception {
    Context target = vertx.getOrCreateContext();
    LoopHop hop = new LoopHop(target);
    int senders = 4;
    int perSender = 20_000;
    // Written only on the target loop: one list per sender, so per-sender order is checked without locks.
    List<List<Integer>> seen = new ArrayList<>();
    for (int s = 0; s < senders; s++) seen.add(new ArrayList<>());
    AtomicInteger offLoop = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(senders * perSender);
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int sender = s;
      threads.add(new Thread(() -> {
        for (int i = 0; i < perSender; i++) {
          int n = i;
          hop.run(() -> {
            if (Vertx.currentContext() != target) offLoop.incrementAndGet();
            seen.get(sender).add(n);
            all.countDown();
          });
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) t.join();
    assertTrue(all.await(30, TimeUnit.SECONDS), "every task ran");
    // Read the lists on the loop that wrote them.
    CountDownLatch checked = new CountDownLatch(1);
    List<String> problems = new ArrayList<>();
    target.runOnContext(v -> {
      for (int s = 0; s < senders; s++) {
        List<Integer> got = seen.get(s);
        if (got.size() != perSender) problems.add("sender " + s + " ran " + got.size() + " tasks");
        for (int i = 0; i < got.size(); i++) {
          if (got.get(i) != i) {
            problems.add("sender " + s + " task " + i + " ran as " + got.get(i));
            break;
          }
        }
      }
      checked.countDown();
    });
    assertTrue(checked.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(), problems);
    assertEquals(0, offLoop.get(), "tasks that ran off the target loop");
  }

  @Test
  void tasksHandedOverWhileTheLoopIsBusyAreScheduledThereOnce() throws Exception {
    Context real = vertx.getOrCreateContext();
    AtomicInteger scheduled = new AtomicInteger();
    Context counting = counting(real, scheduled);
    LoopHop hop = new LoopHop(counting);
    CountDownLatch release = hold(real);
    CountDownLatch ran = new CountDownLatch(101);
    for (int i = 0; i < 100; i++) hop.run(ran::countDown);
    // A task handed over by a running task runs too.
    hop.run(() -> hop.run(ran::countDown));
    release.countDown();
    assertTrue(ran.await(10, TimeUnit.SECONDS), "every task ran");
    assertEquals(1, scheduled.get(), "scheduled runs on the loop for 101 tasks handed over while it was busy");
  }

  @Test
  void aLongQueueRunsInTurnsOfBoundedLength() throws Exception {
    Context real = vertx.getOrCreateContext();
    AtomicInteger scheduled = new AtomicInteger();
    Context counting = counting(real, scheduled);
    LoopHop hop = new LoopHop(counting);
    CountDownLatch release = hold(real);
    int tasks = 2 * LoopHop.MAX_TASKS_PER_TURN + 1;
    CountDownLatch ran = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) hop.run(ran::countDown);
    release.countDown();
    assertTrue(ran.await(10, TimeUnit.SECONDS), "every task ran");
    assertEquals(3, scheduled.get(), "turns for " + tasks + " tasks");
  }

  @Test
  void aTaskThatThrowsStopsNeitherTheTasksBehindItNorLaterOnes() throws Exception {
    Context real = vertx.getOrCreateContext();
    LoopHop hop = new LoopHop(real);
    CountDownLatch release = hold(real);
    CountDownLatch ran = new CountDownLatch(2);
    hop.run(() -> {
      throw new IllegalStateException("a failing task (expected in this test)");
    });
    hop.run(ran::countDown);
    release.countDown();
    CountDownLatch later = new CountDownLatch(1);
    hop.run(ran::countDown);
    hop.run(later::countDown);
    assertTrue(ran.await(10, TimeUnit.SECONDS), "the tasks queued behind and after the failing one ran");
    assertTrue(later.await(10, TimeUnit.SECONDS));
  }

  /** The real context, counting how often work is scheduled on it. */
  private static Context counting(Context real, AtomicInteger scheduled) {
    return (Context) java.lang.reflect.Proxy.newProxyInstance(LoopHopTest.class.getClassLoader(),
        new Class<?>[] {Context.class}, (proxy, method, args) -> {
          if (method.getName().equals("runOnContext")) scheduled.incrementAndGet();
          return method.invoke(real, args);
        });
  }

  /** Keeps the context's loop busy until the returned latch is counted down. */
  private static CountDownLatch hold(Context context) throws InterruptedException {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    context.runOnContext(v -> {
      busy.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertTrue(busy.await(10, TimeUnit.SECONDS));
    return release;
  }
}
