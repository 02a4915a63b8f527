package io.raftnode.sim;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic simulation over many seeds (1000 by default, in parallel on every core).
 *
 * <pre>
 * mvn test -Dtest=SimulationTest -Dsim.seed=N        replay one seed, printing its summary
 * mvn test -Dtest=SimulationTest -Dsim.seeds=N       N seeds from sim.firstSeed (default 1)
 * scripts/soak.sh N                                  the same outside the normal build, for long soaks
 * </pre>
 */
class SimulationTest {

  @Test
  void everySeedKeepsSafetyLinearizabilityAndLiveness() throws Exception {
    String one = System.getProperty("sim.seed");
    if (one != null && !one.isBlank()) {
      Simulation.Result r = Simulation.run(Long.parseLong(one.trim()));
      System.out.println(r);
      return;
    }
    int count = Integer.getInteger("sim.seeds", 1000);
    long first = Long.getLong("sim.firstSeed", 1L);
    run(first, count);
  }

  /** Runs seeds first..first+count-1 and fails with every failing seed listed and the first failure in full. */
  static void run(long first, int count) throws Exception {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long started = System.nanoTime();
    List<Future<Simulation.Result>> results = new ArrayList<>();
    try {
      for (long seed = first; seed < first + count; seed++) {
        long s = seed;
        results.add(pool.submit(() -> Simulation.run(s)));
      }
      List<Long> failed = new ArrayList<>();
      SimulationFailure firstFailure = null;
      long steps = 0;
      long ops = 0;
      long unknown = 0;
      long lost = 0;
      long checkMicros = 0;
      SimStats stats = new SimStats();
      for (Future<Simulation.Result> f : results) {
        try {
          Simulation.Result r = f.get();
          steps += r.steps();
          ops += r.ops();
          unknown += r.unknownOps();
          lost += r.lostWrites();
          checkMicros += r.checkMicros();
          stats.add(r.stats());
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof SimulationFailure sf)) throw e;
          failed.add(sf.seed);
          System.out.println(sf.getMessage().lines().findFirst().orElse(""));
          if (firstFailure == null) firstFailure = sf;
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("simulation: %d seeds from %d in %.1f s (%.1f seeds/s on %d threads): %d steps, %d client ops "
              + "(%d with unknown outcome), %d unsynced writes lost in crashes, %.1f s checking linearizability; %d failed%n",
          count, first, seconds, count / seconds, threads, steps, ops, unknown, lost, checkMicros / 1e6, failed.size());
      System.out.println("simulation covered: " + stats);
      // Most seeds keep a small log cache: entries for followers and for applying come back from the disk model.
      if (count >= 100 && (stats.diskReadsForFollowers == 0 || stats.diskReadsForApplying == 0))
        fail("no seed read the log from disk: " + stats);
      if (firstFailure != null) {
        StringBuilder b = new StringBuilder();
        b.append(failed.size()).append(" of ").append(count).append(" seeds failed");
        b.append(failed.size() <= 50 ? ": " + failed : "").append('\n');
        int listed = 0;
        for (Future<Simulation.Result> f : results) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException e) {
            if (listed++ == 20) b.append("  ...\n");
            if (listed <= 20) b.append("  ").append(e.getCause().getMessage().lines().findFirst().orElse("")).append('\n');
          }
        }
        b.append(firstFailure.getMessage());
        fail(b.toString(), firstFailure);
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
