package io.raftnode.cli;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop write load: exactly {@code concurrency} Puts in flight through one client (see {@link BenchPuts}), each replaced by the next
 * as it completes; 8-byte keys drawn from a key space, random values of a fixed size. Only completions inside the
 * measured window (after the warm-up) count.
 */
final class BenchLoad {
  /** What one run measured. */
  record Result(long writes, long errors, double seconds, long[] latenciesNanos) {
    double writesPerSecond() {
      return writes / seconds;
    }

    /** The latency at quantile {@code q} (0..1) in milliseconds, from the sorted samples. */
    double percentileMs(double q) {
      if (latenciesNanos.length == 0) return Double.NaN;
      int index = (int) Math.min(latenciesNanos.length - 1, Math.ceil(q * latenciesNanos.length) - 1);
      return latenciesNanos[Math.max(0, index)] / 1e6;
    }
  }

  private final Vertx vertx;
  private final SocketAddress leader;
  private final String client;
  /** Set on the load's event loop, closed from the thread that ran the load. */
  private volatile BenchPuts puts;
  private final int concurrency;
  private final int keySpace;
  private final byte[][] values;
  private final Random random = new Random(42);
  private long measureFromNanos;
  private long measureUntilNanos;
  private long[] samples = new long[1 << 16];
  private int sampleCount;
  private long errors;
  private int running;
  private Promise<Void> done;

  /** @param client how Puts are sent, one of {@link BenchPuts#names()} */
  BenchLoad(Vertx vertx, SocketAddress leader, String client, int concurrency, int keySpace, int valueBytes) {
    this.vertx = vertx;
    this.leader = leader;
    this.client = client;
    this.concurrency = concurrency;
    this.keySpace = keySpace;
    this.values = new byte[256][];
    for (int i = 0; i < values.length; i++) {
      values[i] = new byte[valueBytes];
      random.nextBytes(values[i]);
    }
  }

  /** Runs {@code atWindowStart} and {@code atWindowEnd} on the load's thread as the measured window opens and closes. */
  private Runnable atWindowStart = () -> {};
  private Runnable atWindowEnd = () -> {};
  private boolean windowStarted;
  private boolean windowEnded;

  private boolean requestIds = true;

  /** Whether the writes carry request ids (the client's default). */
  BenchLoad requestIds(boolean requestIds) {
    this.requestIds = requestIds;
    return this;
  }

  private boolean followLeader = true;

  /** Whether the client moves to the leader (else it keeps calling the node it was given, which forwards). */
  BenchLoad followLeader(boolean followLeader) {
    this.followLeader = followLeader;
    return this;
  }

  BenchLoad onWindow(Runnable start, Runnable end) {
    this.atWindowStart = start;
    this.atWindowEnd = end;
    return this;
  }

  Result run(long warmupSeconds, long durationSeconds) throws Exception {
    Context context = vertx.getOrCreateContext();
    done = Promise.promise();
    long start = System.nanoTime();
    measureFromNanos = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
    measureUntilNanos = measureFromNanos + TimeUnit.SECONDS.toNanos(durationSeconds);
    context.runOnContext(v -> {
      try {
        puts = BenchPuts.open(client, vertx, leader, requestIds, followLeader);
      } catch (RuntimeException e) {
        done.fail(e);
        return;
      }
      running = concurrency;
      for (int i = 0; i < concurrency; i++) next();
    });
    try {
      done.future().toCompletionStage().toCompletableFuture()
          .get(warmupSeconds + durationSeconds + 60, TimeUnit.SECONDS);
    } finally {
      if (puts != null) puts.close();
    }
    long[] latencies = Arrays.copyOf(samples, sampleCount);
    Arrays.sort(latencies);
    return new Result(sampleCount, errors, durationSeconds, latencies);
  }

  private void next() {
    long sent = System.nanoTime();
    if (!windowStarted && sent >= measureFromNanos) {
      windowStarted = true;
      atWindowStart.run();
    }
    if (!windowEnded && sent >= measureUntilNanos) {
      windowEnded = true;
      atWindowEnd.run();
    }
    if (sent >= measureUntilNanos) {
      if (--running == 0) done.complete();
      return;
    }
    byte[] key = ByteBuffer.allocate(8).putLong(random.nextInt(keySpace)).array();
    puts.put(key, values[random.nextInt(values.length)], err -> {
      long finished = System.nanoTime();
      if (finished >= measureFromNanos && finished < measureUntilNanos) {
        if (err == null) {
          record(finished - sent);
        } else {
          errors++;
        }
      }
      next();
    });
  }

  private void record(long nanos) {
    if (sampleCount == samples.length) samples = Arrays.copyOf(samples, samples.length * 2);
    samples[sampleCount++] = nanos;
  }
}
