package io.raftnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The kv commands against three live nodes, called at a follower's address and across a leader's stop. */
@Timeout(120)
class KvCommandsClusterTest {
  @TempDir
  Path dataDirs;

  private static String ok(String... words) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(words), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static long revision(String line, String prefix) {
    Matcher m = Pattern.compile(Pattern.quote(prefix) + "revision=(\\d+)\n").matcher(line);
    assertTrue(m.matches(), line);
    return Long.parseLong(m.group(1));
  }

  private static String address(TestCluster cluster, long id) {
    return cluster.config(id).clientAddress().toString();
  }

  @Test
  void everyKvCommandWorksAtAFollowersAddress() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      String follower = address(cluster, leader == 1 ? 2 : 1);
      String other = address(cluster, leader == 3 ? 2 : 3);

      long put = revision(ok("kv", "put", "k", "v1", "--server", follower), "put: ");
      assertEquals("get: found value=v1 revision=" + put + "\n", ok("kv", "get", "k", "--server", other));
      long cas = revision(ok("kv", "cas", "k", "v1", "v2", "--server", follower), "cas: succeeded ");
      assertTrue(cas > put, cas + " after " + put);
      // A swap that did not match applied too (changing nothing), at a log index of its own.
      long failed = revision(ok("kv", "cas", "--absent", "k", "v3", "--server", other), "cas: failed current value=v2 ");
      assertTrue(failed > cas, failed + " after " + cas);
      assertTrue(revision(ok("kv", "delete", "k", "--server", follower), "delete: deleted ") > failed);
      assertEquals("get: not found\n", ok("kv", "get", "k", "--server", other, "--consistency", "lease"));
    }
  }

  @Test
  void aPutRightAfterTheLeaderStopsIsAppliedByTheNextLeader() throws Exception {
    try (TestCluster cluster = new TestCluster(dataDirs, 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      long follower = leader == 1 ? 2 : 1;
      ok("kv", "put", "k", "before", "--server", address(cluster, follower));
      cluster.stop(leader);
      long put = revision(ok("kv", "put", "k", "after", "--server", address(cluster, follower), "--timeout-ms", "15000"),
          "put: ");
      assertEquals("get: found value=after revision=" + put + "\n",
          ok("kv", "get", "k", "--server", address(cluster, follower)));
    }
  }
}
