package io.raftnode.internal.node;

import io.raftnode.NodeStatus;
import java.util.Locale;

/**
 * How far one long piece of work has got (a snapshot sent or installed, a follower catching up from far behind),
 * and what follows from it: percent, rate and time left. Only arithmetic: the time comes in as milliseconds of the
 * node's clock, so tests hand in whatever times they like. Lives on the node's event loop.
 */
final class WorkProgress {
  /** The kinds of long work, with the name Status shows and the unit they count in. */
  enum Kind {
    SNAPSHOT_SEND("snapshot-send", "bytes", "sending a snapshot to"),
    SNAPSHOT_INSTALL("snapshot-install", "bytes", "receiving a snapshot from"),
    CATCH_UP("catch-up", "entries", "catching up");

    final String wireName;
    final String unit;
    final String verb;

    Kind(String wireName, String unit, String verb) {
      this.wireName = wireName;
      this.unit = unit;
      this.verb = verb;
    }
  }

  final Kind kind;
  final long peer;
  private final long startMs;
  private long done;
  private long total;
  private long lastLogMs;

  WorkProgress(Kind kind, long peer, long total, long startMs) {
    this.kind = kind;
    this.peer = peer;
    this.total = Math.max(0, total);
    this.startMs = startMs;
    this.lastLogMs = startMs;
  }

  /** {@code done} of {@code total} units are done now (a catch-up's total grows with the leader's log). */
  void advance(long done, long total) {
    this.total = Math.max(0, total);
    this.done = Math.max(0, Math.min(done, this.total));
  }

  void advance(long done) {
    advance(done, total);
  }

  long done() {
    return done;
  }

  long total() {
    return total;
  }

  long elapsedMs(long nowMs) {
    return Math.max(0, nowMs - startMs);
  }

  /** Whole percent done; 100 for work of no size. */
  int percent() {
    return total == 0 ? 100 : (int) (done * 100 / total);
  }

  /** Units done per second since the start; 0 before any time has passed. */
  double ratePerSecond(long nowMs) {
    long elapsed = elapsedMs(nowMs);
    return elapsed == 0 ? 0 : done * 1000.0 / elapsed;
  }

  /** Milliseconds left at the rate so far; -1 while nothing was done to judge by. */
  long etaMs(long nowMs) {
    double rate = ratePerSecond(nowMs);
    if (rate <= 0) return done >= total ? 0 : -1;
    return (long) Math.ceil((total - done) * 1000.0 / rate);
  }

  /** True, once per {@code intervalMs}, when it is time to log this work's progress again. */
  boolean logDue(long nowMs, long intervalMs) {
    if (nowMs - lastLogMs < intervalMs) return false;
    lastLogMs = nowMs;
    return true;
  }

  NodeStatus.Work view(long nowMs) {
    return new NodeStatus.Work(kind.wireName, peer, kind.unit, done, total, ratePerSecond(nowMs), etaMs(nowMs),
        elapsedMs(nowMs));
  }

  /** One log line: "node 1 sending a snapshot to node 3: 40.0 MiB of 82.0 MiB (48%), 12.3 MiB/s, about 4 s left". */
  String describe(long selfId, long nowMs) {
    long eta = etaMs(nowMs);
    return "node " + selfId + " " + kind.verb + " node " + peer + ": "
        + amount(done) + " of " + amount(total) + " (" + percent() + "%), " + amount((long) ratePerSecond(nowMs))
        + "/s, " + (eta < 0 ? "time left unknown" : "about " + seconds(eta) + " left");
  }

  private String amount(long n) {
    if (kind.unit.equals("entries")) return n + " entries";
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
  }

  private static String seconds(long ms) {
    long s = (ms + 999) / 1000;
    return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
  }
}
