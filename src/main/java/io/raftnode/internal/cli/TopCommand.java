package io.raftnode.internal.cli;

import io.raftnode.HostAndPort;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code top}: a live view of the cluster ({@link TopView}), redrawn in place with plain ANSI codes. When stdout is
 * not a terminal it prints one frame and exits; that frame still has rates, from a sample taken one interval before.
 */
@Command(name = "top", description = {"A live view of the cluster, refreshed every second: members, roles, terms,",
    "commit and applied indexes, each follower's lag, writes/s and reads/s, and the last leader changes.",
    "When stdout is not a terminal: one frame, then exit."})
final class TopCommand extends CliCommand {
  /** Cursor home, then erase the screen (ECMA-48 CUP and ED). */
  static final String CLEAR = "\033[H\033[2J";
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Option(names = "--interval-ms", paramLabel = "N", defaultValue = "1000",
      description = "time between frames (default: ${DEFAULT-VALUE})")
  String intervalMs;
  @Option(names = "--frames", paramLabel = "N",
      description = "stop after N frames (default: until interrupted on a terminal, else 1)")
  String frames;
  @Mixin ClientFlags client;

  @Override
  public Integer call() throws Usage.Error {
    long interval = MemberCommand.nonNegative(intervalMs, "--interval-ms", 1000);
    if (interval < 100) throw new Usage.Error("bad --interval-ms: must be 100 or more, got " + interval);
    boolean terminal = System.console() != null;
    long count = MemberCommand.nonNegative(frames, "--frames", terminal ? 0 : 1);
    ClientOptions options = client.options();
    TopView view = new TopView();
    List<HostAndPort> seeds = new ArrayList<>(List.of(options.server()));
    try (RpcClient rpc = new RpcClient(options)) {
      if (!terminal) {
        // Not shown: the sample the first frame's rates are measured from.
        view.frame(collect(rpc, seeds), System.nanoTime(), now());
        sleep(interval);
      }
      for (long n = 0; count == 0 || n < count; n++) {
        if (n > 0) sleep(interval);
        String frame;
        try {
          frame = view.frame(collect(rpc, seeds), System.nanoTime(), now());
        } catch (RpcException e) {
          if (!terminal) throw e;
          // On a terminal the view waits for a member to come back rather than exit.
          frame = "raftnode top  " + now() + "  no member answers: " + e.describe() + "\n";
        }
        out.print(terminal ? CLEAR + frame : frame);
        out.flush();
      }
      return 0;
    } catch (RpcException e) {
      err.println(e.describe());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /**
   * Asks the first of {@code seeds} that answers for the members; the addresses seen go after --server, so the view
   * survives the node it started from going down.
   */
  private static List<ClusterView.Row> collect(RpcClient rpc, List<HostAndPort> seeds) throws RpcException {
    RpcException last = null;
    for (HostAndPort seed : seeds) {
      try {
        List<ClusterView.Row> rows = ClusterView.collect(rpc, seed);
        Set<HostAndPort> next = new LinkedHashSet<>(seeds.subList(0, 1));
        for (ClusterView.Row row : rows) {
          try {
            next.add(HostAndPort.parse(row.clientAddress()));
          } catch (IllegalArgumentException e) {
            // not usable as a seed
          }
        }
        seeds.clear();
        seeds.addAll(next);
        return rows;
      } catch (RpcException e) {
        last = e;
      }
    }
    throw last;
  }

  private static String now() {
    return LocalTime.now().format(CLOCK);
  }

  private static void sleep(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }
}
