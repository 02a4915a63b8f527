package io.raftnode.internal.cli;

import io.raftnode.proto.StatusResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code status --cluster}'s output, one row per member as {@code etcdctl endpoint status --cluster} prints it:
 * a table for people ({@code -w table}), comma-separated lines ({@code -w simple}) or JSON for scripts.
 */
final class ClusterTable {
  static final List<String> FORMATS = List.of("table", "simple", "json");
  private static final String[] HEADER = {"ID", "ENDPOINT", "ROLE", "TERM", "LEADER", "COMMIT", "APPLIED", "LAG",
      "LAST LOG", "SNAPSHOT", "VERSION", "DATA SIZE", "ERROR"};

  private ClusterTable() {}

  static String render(List<ClusterView.Row> rows, String format) {
    return switch (format) {
      case "json" -> json(rows);
      case "simple" -> simple(rows);
      default -> table(rows);
    };
  }

  static String table(List<ClusterView.Row> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADER);
    StatusResponse leader = ClusterView.leader(rows);
    for (ClusterView.Row row : rows) cells.add(cells(row, leader));
    return TextTable.render(cells);
  }

  static String simple(List<ClusterView.Row> rows) {
    StringBuilder out = new StringBuilder();
    StatusResponse leader = ClusterView.leader(rows);
    for (ClusterView.Row row : rows) {
      List<String> line = new ArrayList<>(List.of(cells(row, leader)));
      if (line.get(line.size() - 1).isEmpty()) line.remove(line.size() - 1);
      out.append(String.join(", ", line)).append('\n');
    }
    return out.toString();
  }

  private static String[] cells(ClusterView.Row row, StatusResponse leader) {
    if (!row.answered()) {
      return new String[] {String.valueOf(row.id()), row.clientAddress(), "-", "-", "-", "-", "-", "-", "-", "-", "-",
          "-", row.error()};
    }
    StatusResponse s = row.status();
    Long lag = ClusterView.lag(leader, row.id());
    return new String[] {String.valueOf(row.id()), row.clientAddress(), s.getRole(), String.valueOf(s.getTerm()),
        s.getLeaderId() == 0 ? "none" : String.valueOf(s.getLeaderId()), String.valueOf(s.getCommitIndex()),
        String.valueOf(s.getAppliedIndex()), lag == null ? "-" : String.valueOf(lag),
        String.valueOf(s.getLastLogIndex()), String.valueOf(s.getSnapshotIndex()),
        s.getVersion().isEmpty() ? "-" : s.getVersion(), bytes(s.getDataSizeBytes()), ""};
  }

  static String json(List<ClusterView.Row> rows) {
    StatusResponse leader = ClusterView.leader(rows);
    JsonArray members = new JsonArray();
    for (ClusterView.Row row : rows) {
      JsonObject member = new JsonObject().put("id", row.id()).put("endpoint", row.clientAddress());
      if (row.answered()) {
        StatusResponse s = row.status();
        member.put("role", s.getRole()).put("term", s.getTerm()).put("leader_id", s.getLeaderId())
            .put("commit_index", s.getCommitIndex()).put("applied_index", s.getAppliedIndex())
            .put("lag", ClusterView.lag(leader, row.id())).put("last_log_index", s.getLastLogIndex())
            .put("snapshot_index", s.getSnapshotIndex()).put("version", s.getVersion())
            .put("data_size_bytes", s.getDataSizeBytes()).put("reads_served", s.getReadsServed());
      } else {
        member.put("error", row.error());
      }
      members.add(member);
    }
    return new JsonObject().put("leader_id", leader == null ? 0 : leader.getNodeId()).put("members", members)
        .encodePrettily() + "\n";
  }

  /** Bytes in binary units, as {@code du -h} does ("512 B", "1.5 KiB", "20.0 MiB"). */
  static String bytes(long n) {
    if (n < 1024) return n + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = n;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
