package io.raftnode.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The membership bench's windows: only writes finishing inside a window count, errors apart from latencies. */
class BenchTimelineTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aWindowCountsTheWritesFinishingInsideItWithTheirLatencies() {
    BenchTimeline timeline = new BenchTimeline(vertx, null, 1, 10, 8);
    long ms = 1_000_000;
    // 100 writes finishing at 1..100 ms, the one finishing at t ms took t/10 ms; one failure at 50 ms.
    for (long t = 1; t <= 100; t++) timeline.record(t * ms, t * ms - t * ms / 10, false);
    timeline.record(50 * ms, 40 * ms, true);

    BenchTimeline.Window all = timeline.window(1 * ms, 101 * ms);
    assertEquals(100, all.writes());
    assertEquals(1, all.errors());
    assertEquals(1000, all.writesPerSecond(), 1e-6);
    assertEquals(5.0, all.p50Ms(), 1e-9);
    assertEquals(9.9, all.p99Ms(), 1e-9);
    assertEquals(10.0, all.maxMs(), 1e-9);

    BenchTimeline.Window late = timeline.window(91 * ms, 101 * ms);
    assertEquals(10, late.writes());
    assertEquals(0, late.errors());
    assertEquals(10.0, late.maxMs(), 1e-9);
    assertEquals(9.5, late.p50Ms(), 1e-9);

    BenchTimeline.Window empty = timeline.window(200 * ms, 300 * ms);
    assertEquals(0, empty.writes());
    assertEquals(Double.NaN, empty.p99Ms());
  }
}
