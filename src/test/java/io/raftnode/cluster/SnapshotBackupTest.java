package io.raftnode.cluster;

import static io.raftnode.cluster.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.cli.SnapshotRestoreCommand;
import io.raftnode.internal.cli.SnapshotSaveCommand;
import io.raftnode.internal.storage.BackupFile;
import io.raftnode.proto.Consistency;
import io.raftnode.proto.GetResponse;
import io.raftnode.proto.StatusResponse;
import io.vertx.core.Future;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Backups across real nodes in one JVM: {@code snapshot save} from a follower holds every write acknowledged before
 * it (the node confirms the commit index and applies it before taking the snapshot), streamed in many chunks; the
 * file restores into three data dirs of a new cluster on other ports, which starts from it, serves every key and
 * takes writes. The multi-process version under load is BackupProcessIT.
 */
@Timeout(120)
class SnapshotBackupTest {
  @TempDir
  Path tmp;

  private static final String VALUE = "x".repeat(1000);

  @Test
  void aBackupSavedFromAFollowerRestoresIntoANewClusterWithEveryAcknowledgedWrite() throws Exception {
    Path backup = tmp.resolve("backup.raftbak");
    long covered;
    long commitBeforeSave;
    try (TestCluster cluster = new TestCluster(tmp.resolve("old"), 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      write(cluster, leader, 2000);
      commitBeforeSave = cluster.client(leader).status().getCommitIndex();
      long follower = leader % 3 + 1;
      Result saved = run(new SnapshotSaveCommand(), backup.toString(), "--server",
          cluster.config(follower).clientAddress().toString());
      assertEquals(0, saved.code, saved.err);
      assertTrue(saved.out.contains("snapshot save: " + backup), saved.out);
      BackupFile.Contents contents = BackupFile.verify(backup);
      covered = contents.meta().lastIndex();
      assertTrue(covered >= commitBeforeSave, "the backup covers " + covered + ", the commit index before the save was "
          + commitBeforeSave);
      assertTrue(contents.dataLength() > 2000 * VALUE.length(), "every value is in it: " + contents.dataLength());
    }

    try (TestCluster fresh = new TestCluster(tmp.resolve("new"), 3)) {
      String members = List.of(1L, 2L, 3L).stream().map(id -> id + "=" + fresh.config(id).peerAddress() + "@"
          + fresh.config(id).clientAddress()).collect(Collectors.joining(","));
      for (long id = 1; id <= 3; id++) {
        Result restored = run(new SnapshotRestoreCommand(), backup.toString(), "--data-dir",
            fresh.config(id).dataDir().toString(), "--node-id", String.valueOf(id), "--members", members);
        assertEquals(0, restored.code, restored.err);
      }
      fresh.startAll();
      long leader = fresh.awaitLeader();
      StatusResponse status = fresh.client(leader).status();
      assertTrue(status.getTerm() > 0 && status.getSnapshotIndex() == covered, status.toString());
      assertEquals(List.of(1L, 2L, 3L), status.getVotersList());
      await(fresh.client(leader).put("after-restore", "new"));
      long commit = fresh.client(leader).status().getCommitIndex();
      assertTrue(commit > covered, "the new cluster's log continues after the backup: " + commit);
      for (long id = 1; id <= 3; id++) {
        long node = id;
        TestCluster.awaitCondition("node " + id + " applies " + commit,
            () -> fresh.client(node).status().getAppliedIndex() >= commit);
        for (int i = 0; i < 2000; i++) {
          GetResponse r = await(fresh.client(id).get("k" + i, Consistency.STALE));
          assertTrue(r.getFound(), "node " + id + " lacks k" + i);
          assertEquals(VALUE + i, r.getValue().toStringUtf8());
        }
        assertEquals("new", await(fresh.client(id).get("after-restore", Consistency.STALE)).getValue().toStringUtf8());
      }
    }
  }

  @Test
  void theNewestSnapshotAsItIsIsRefusedWhileTheNodeHasNone() throws Exception {
    try (TestCluster cluster = new TestCluster(tmp.resolve("old"), 3)) {
      cluster.startAll();
      long leader = cluster.awaitLeader();
      Path file = tmp.resolve("none.raftbak");
      Result saved = run(new SnapshotSaveCommand(), file.toString(), "--use-latest", "--server",
          cluster.config(leader).clientAddress().toString());
      assertEquals(1, saved.code, saved.out);
      assertTrue(saved.err.contains("FAILED_PRECONDITION") && saved.err.contains("no snapshot"), saved.err);
      assertTrue(!file.toFile().exists() && !tmp.resolve("none.raftbak.part").toFile().exists());
    }
  }

  private static void write(TestCluster cluster, long node, int count) {
    for (int from = 0; from < count; from += 100) {
      List<Future<?>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + 100); i++) batch.add(cluster.client(node).put("k" + i, VALUE + i));
      await(Future.all(batch));
    }
  }

  record Result(int code, String out, String err) {}

  static Result run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
