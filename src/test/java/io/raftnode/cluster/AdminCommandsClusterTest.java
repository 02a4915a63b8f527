package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static io.raftnode.cluster.TestCluster.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.cli.Main;
import io.raftnode.internal.node.NodeVersion;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The operator's commands against three live nodes: status --cluster, top, transfer-leader and snapshot take. */
@Timeout(180)
class AdminCommandsClusterTest {
  @TempDir
  Path dataDirs;

  record Result(int code, String out, String err) {}

  private static Result run(String... words) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(words), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Result ok(String... words) {
    Result result = run(words);
    assertEquals(0, result.code(), result.err() + result.out());
    return result;
  }

  private static String address(TestCluster cluster, long id) {
    return cluster.config(id).clientAddress().toString();
  }

  /** The lines of a table that start with a member id. */
  private static List<String> memberRows(String table) {
    List<String> rows = new ArrayList<>();
    table.lines().filter(line -> line.matches("\\d+\\s+127\\.0\\.0\\.1:\\d+.*")).forEach(rows::add);
    return rows;
  }

  @Test
  void statusClusterAndTopShowEveryMemberAndTheOneThatDoesNotAnswer() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      for (int i = 0; i < 20; i++) await(cluster.client(leader).put("k" + i, "v" + i));
      for (int i = 0; i < 5; i++) await(cluster.client(2).get("k" + i, Consistency.STALE));

      String table = ok("status", "--cluster", "--server", address(cluster, 1)).out();
      assertTrue(table.startsWith("ID  "), table);
      List<String> rows = memberRows(table);
      assertEquals(3, rows.size(), table);
      for (int i = 0; i < 3; i++) {
        long id = i + 1;
        String role = id == leader ? "leader" : "follower";
        // ID ENDPOINT ROLE TERM LEADER COMMIT APPLIED LAG LAST_LOG SNAPSHOT VERSION DATA SIZE
        assertTrue(rows.get(i).matches(id + "\\s+" + Pattern.quote(address(cluster, id)) + "\\s+" + role
            + "\\s+\\d+\\s+" + leader + "\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+" + Pattern.quote(NodeVersion.current())
            + "\\s+\\d+(\\.\\d)? (B|KiB|MiB)"), rows.get(i));
      }

      List<String> simple = ok("status", "--cluster", "-w", "simple", "--server", address(cluster, 1)).out().lines()
          .toList();
      assertEquals(3, simple.size(), simple.toString());
      for (int i = 0; i < 3; i++) {
        assertTrue(simple.get(i).startsWith((i + 1) + ", " + address(cluster, i + 1) + ", "), simple.get(i));
        assertEquals(12, simple.get(i).split(", ").length, "every column but the empty error: " + simple.get(i));
      }

      JsonObject json = new JsonObject(ok("status", "--cluster", "-w", "json", "--server", address(cluster, 2)).out());
      assertEquals(leader, json.getLong("leader_id"));
      JsonArray members = json.getJsonArray("members");
      assertEquals(3, members.size());
      for (int i = 0; i < 3; i++) {
        JsonObject m = members.getJsonObject(i);
        assertEquals(i + 1, m.getLong("id"));
        assertTrue(m.getLong("data_size_bytes") > 0, m.encode());
        assertTrue(m.getLong("commit_index") >= 20, m.encode());
        assertTrue(m.getLong("lag") >= 0, "the leader's view of every member's lag: " + m.encode());
        assertEquals(NodeVersion.current(), m.getString("version"));
      }
      assertTrue(members.getJsonObject(1).getLong("reads_served") >= 5, members.encode());

      String frame = ok("top", "--interval-ms", "200", "--server", address(cluster, 3)).out();
      assertTrue(frame.startsWith("raftnode top  "), frame);
      assertTrue(Pattern.compile("  leader " + leader + " \\(term \\d+\\)  writes/s \\d+\\.\\d  reads/s \\d+\\.\\d\n")
          .matcher(frame.lines().findFirst().orElseThrow() + "\n").find(), frame);
      assertTrue(!frame.contains("\033["), "no terminal, no escape codes");
      List<String> topRows = memberRows(frame);
      assertEquals(3, topRows.size(), frame);
      for (int i = 0; i < 3; i++) {
        long id = i + 1;
        String expected = id == leader ? "leader\\s+\\*" : "follower";
        assertTrue(topRows.get(i).matches(id + "\\s+\\S+\\s+" + expected + "\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d"),
            topRows.get(i));
      }
      assertTrue(frame.contains("leader changes (newest last):\n  "), frame);

      long stopped = leader == 3 ? 2 : 3;
      cluster.stop(stopped);
      Result partial = run("status", "--cluster", "--timeout-ms", "2000", "--server", address(cluster, leader));
      assertEquals(1, partial.code(), "a member that does not answer fails the command: " + partial.out());
      String down = memberRows(partial.out()).get((int) stopped - 1);
      assertTrue(down.matches(stopped + "\\s+\\S+(\\s+-){10}\\s+(UNAVAILABLE|DEADLINE_EXCEEDED): .*"), down);
      assertEquals(2, memberRows(partial.out()).stream().filter(r -> !r.contains(" - ")).count(), partial.out());
    }
  }

  @Test
  void transferLeaderMovesLeadershipAndSnapshotTakePrintsTheIndex() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long target = leader == 1 ? 2 : 1;
      long follower = 6 - leader - target;
      String out = ok("transfer-leader", String.valueOf(target), "--server", address(cluster, follower)).out();
      assertEquals("transfer-leader: new_leader_id=" + target + "\n", out);
      assertEquals(target, cluster.awaitLeader());

      Matcher moved = Pattern.compile("transfer-leader: new_leader_id=(\\d+)\n")
          .matcher(ok("transfer-leader", "--server", address(cluster, target)).out());
      assertTrue(moved.matches());
      long chosen = Long.parseLong(moved.group(1));
      assertNotEquals(target, chosen, "with no id the leader hands over to another voter");
      assertEquals(chosen, cluster.awaitLeader());

      for (int i = 0; i < 30; i++) await(cluster.client(chosen).put("s" + i, "v"));
      StatusResponse before = cluster.client(chosen).status();
      Matcher taken = Pattern.compile("snapshot take: snapshot_index=(\\d+)\n")
          .matcher(ok("snapshot", "take", "--server", address(cluster, chosen)).out());
      assertTrue(taken.matches());
      long index = Long.parseLong(taken.group(1));
      assertTrue(index >= before.getAppliedIndex(), index + " covers what was applied: " + before);
      awaitCondition("status shows the snapshot", () -> cluster.client(chosen).status().getSnapshotIndex() == index);
      assertTrue(ok("status", "--server", address(cluster, chosen)).out().contains("snapshot_index: " + index + "\n"));

      Result refused = run("transfer-leader", "7", "--server", address(cluster, chosen));
      assertEquals(1, refused.code());
      assertTrue(refused.err().startsWith("error: "), refused.err());
    }
  }
}
