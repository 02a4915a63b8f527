package io.raftnode.internal.cli;

import io.raftnode.proto.StatusResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The frames of {@code top}. Rates come from the difference of counters between this frame's sample and the
 * previous one: writes/s from the cluster's commit index (log entries committed: writes, plus the rare entry a new
 * leader or a membership change adds), reads/s from each member's reads_served. The leader changes are those seen
 * from frame to frame, so a change and back between two frames goes unseen.
 */
final class TopView {
  static final int CHANGES_KEPT = 5;
  private static final String[] HEADER = {"ID", "ENDPOINT", "ROLE", "L", "TERM", "COMMIT", "APPLIED", "LAG", "READS/S",
      "ERROR"};

  private long previousNanos;
  private long previousCommit = -1;
  private final Map<Long, Long> previousReads = new HashMap<>();
  private long leaderSeen = -1;
  private long termSeen = -1;
  private final Deque<String> changes = new ArrayDeque<>();

  /** Renders the frame of {@code rows}, sampled at {@code nanos} ({@code clock} labels it), and remembers them. */
  String frame(List<ClusterView.Row> rows, long nanos, String clock) {
    double seconds = previousCommit < 0 ? 0 : (nanos - previousNanos) / 1e9;
    StatusResponse leader = ClusterView.leader(rows);
    noteLeader(leader, rows, clock);
    long commit = rows.stream().filter(ClusterView.Row::answered).mapToLong(r -> r.status().getCommitIndex()).max()
        .orElse(-1);
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADER);
    double reads = 0;
    boolean readsKnown = false;
    for (ClusterView.Row row : rows) {
      Double rate = readRate(row, seconds);
      if (rate != null) {
        reads += rate;
        readsKnown = true;
      }
      cells.add(cells(row, leader, rate));
    }
    String writes = seconds > 0 && commit >= previousCommit && previousCommit >= 0
        ? rate((commit - previousCommit) / seconds) : "-";
    StringBuilder out = new StringBuilder();
    out.append("raftnode top  ").append(clock).append("  leader ")
        .append(leader == null ? "none" : leader.getNodeId() + " (term " + leader.getTerm() + ")")
        .append("  writes/s ").append(writes).append("  reads/s ").append(readsKnown ? rate(reads) : "-").append('\n');
    out.append(TextTable.render(cells));
    out.append("leader changes (newest last):\n");
    changes.forEach(change -> out.append("  ").append(change).append('\n'));
    remember(rows, nanos, commit);
    return out.toString();
  }

  private String[] cells(ClusterView.Row row, StatusResponse leader, Double readRate) {
    if (!row.answered()) {
      return new String[] {String.valueOf(row.id()), row.clientAddress(), "-", "", "-", "-", "-", "-", "-", row.error()};
    }
    StatusResponse s = row.status();
    Long lag = ClusterView.lag(leader, row.id());
    boolean isLeader = leader != null && leader.getNodeId() == row.id();
    return new String[] {String.valueOf(row.id()), row.clientAddress(), s.getRole(), isLeader ? "*" : "",
        String.valueOf(s.getTerm()), String.valueOf(s.getCommitIndex()), String.valueOf(s.getAppliedIndex()),
        lag == null ? "-" : String.valueOf(lag), readRate == null ? "-" : rate(readRate), ""};
  }

  /** Reads per second at one member; unknown on the first frame, or when it did not answer or restarted. */
  private Double readRate(ClusterView.Row row, double seconds) {
    if (!row.answered() || seconds <= 0) return null;
    Long before = previousReads.get(row.id());
    long now = row.status().getReadsServed();
    if (before == null || now < before) return null;
    return (now - before) / seconds;
  }

  private void noteLeader(StatusResponse leader, List<ClusterView.Row> rows, String clock) {
    long id = leader == null ? 0 : leader.getNodeId();
    long term = leader != null ? leader.getTerm()
        : rows.stream().filter(ClusterView.Row::answered).mapToLong(r -> r.status().getTerm()).max().orElse(0);
    if (id == leaderSeen && term == termSeen) return;
    String what = id == 0 ? "no leader" : "leader " + id;
    changes.addLast(clock + "  " + what + ", term " + term + (leaderSeen < 0 ? " (first seen)" : ""));
    while (changes.size() > CHANGES_KEPT) changes.removeFirst();
    leaderSeen = id;
    termSeen = term;
  }

  private void remember(List<ClusterView.Row> rows, long nanos, long commit) {
    previousNanos = nanos;
    previousCommit = commit;
    previousReads.clear();
    for (ClusterView.Row row : rows) {
      if (row.answered()) previousReads.put(row.id(), row.status().getReadsServed());
    }
  }

  private static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%.1f", perSecond);
  }
}
