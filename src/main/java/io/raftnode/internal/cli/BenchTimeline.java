package io.raftnode.internal.cli;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop write load that runs until stopped and keeps the finish time and latency of every Put, so that
 * throughput and latency can be read afterwards for any window (before, during, after a membership change). Exactly
 * {@code concurrency} Puts in flight on one session stream, random keys from a key space, random values of a fixed
 * size, as {@link BenchLoad}.
 */
final class BenchTimeline {
  /** Throughput and latency of the writes that finished inside one window. */
  record Window(double seconds, long writes, long errors, double p50Ms, double p99Ms, double maxMs) {
    double writesPerSecond() {
      return writes / seconds;
    }
  }

  /** After a failed Put the next one waits this long, so a broken stream is not spun on. */
  private static final long ERROR_PAUSE_MS = 10;

  private final Vertx vertx;
  private final SocketAddress target;
  private final int concurrency;
  private final int keySpace;
  private final byte[][] values;
  private final Random random = new Random(42);
  private final Context context;
  private BenchPuts puts;
  private volatile boolean stopping;
  private int running;
  private final Promise<Void> stopped = Promise.promise();
  // Written on the load's event loop only; read after it stopped.
  private long[] finishedAt = new long[1 << 16];
  private long[] latencies = new long[1 << 16];
  private boolean[] failed = new boolean[1 << 16];
  private int count;

  BenchTimeline(Vertx vertx, SocketAddress target, int concurrency, int keySpace, int valueBytes) {
    this.vertx = vertx;
    this.target = target;
    this.concurrency = concurrency;
    this.keySpace = keySpace;
    this.values = new byte[256][valueBytes];
    for (byte[] value : values) random.nextBytes(value);
    this.context = vertx.getOrCreateContext();
  }

  /** Starts the load; returns once the stream is open and the first Puts are sent. */
  void start() throws Exception {
    Promise<Void> opened = Promise.promise();
    context.runOnContext(v -> {
      puts = BenchPuts.open("session", vertx, target);
      running = concurrency;
      for (int i = 0; i < concurrency; i++) next();
      opened.complete();
    });
    opened.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Lets the Puts in flight finish and sends no more. */
  void stop() throws Exception {
    stopping = true;
    stopped.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    puts.close();
  }

  /** The writes that finished in [{@code fromNanos}, {@code toNanos}) (System.nanoTime); call after {@link #stop}. */
  Window window(long fromNanos, long toNanos) {
    long[] ok = new long[count];
    int writes = 0;
    long errors = 0;
    for (int i = 0; i < count; i++) {
      if (finishedAt[i] < fromNanos || finishedAt[i] >= toNanos) continue;
      if (failed[i]) {
        errors++;
      } else {
        ok[writes++] = latencies[i];
      }
    }
    long[] sorted = Arrays.copyOf(ok, writes);
    Arrays.sort(sorted);
    return new Window((toNanos - fromNanos) / 1e9, writes, errors, quantileMs(sorted, 0.5), quantileMs(sorted, 0.99),
        quantileMs(sorted, 1.0));
  }

  private static double quantileMs(long[] sorted, double q) {
    if (sorted.length == 0) return Double.NaN;
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private void next() {
    if (stopping) {
      if (--running == 0) stopped.complete();
      return;
    }
    long sent = System.nanoTime();
    byte[] key = ByteBuffer.allocate(8).putLong(random.nextInt(keySpace)).array();
    puts.put(key, values[random.nextInt(values.length)], err -> {
      record(System.nanoTime(), sent, err != null);
      if (err == null) {
        next();
      } else {
        vertx.setTimer(ERROR_PAUSE_MS, t -> next());
      }
    });
  }

  /** One Put that finished at {@code finished} (nanoTime), sent at {@code sent}. */
  void record(long finished, long sent, boolean error) {
    if (count == finishedAt.length) {
      finishedAt = Arrays.copyOf(finishedAt, count * 2);
      latencies = Arrays.copyOf(latencies, count * 2);
      failed = Arrays.copyOf(failed, count * 2);
    }
    finishedAt[count] = finished;
    latencies[count] = finished - sent;
    failed[count] = error;
    count++;
  }
}
