package io.raftnode.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.storage.BackupFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class SnapshotCommandsTest {
  @TempDir
  Path tmp;

  private static final String MEMBERS = "1=127.0.0.1:7101@127.0.0.1:7201,2=127.0.0.1:7102@127.0.0.1:7202";

  record Result(int code, String out, String err) {}

  private static Result restore(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new SnapshotRestoreCommand()).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path backup() throws Exception {
    Path file = tmp.resolve("b.raftbak");
    LogId last = LogId.of(3, 1, 99);
    SnapshotMeta meta = new SnapshotMeta(last,
        new StoredMembership(last, Membership.ofVoters(new TreeMap<>(Map.of(1L, new Node("h:1", "h:2"))))), "s");
    byte[] data = "some state machine data".getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(data);
    try (BackupFile.Writer w = BackupFile.create(file, meta)) {
      w.write(data);
      w.commit(data.length, crc.getValue());
    }
    return file;
  }

  @ParameterizedTest
  @ValueSource(strings = {"1=127.0.0.1:7101", "1:127.0.0.1:7101@127.0.0.1:7201", "x=127.0.0.1:7101@127.0.0.1:7201",
      "0=127.0.0.1:7101@127.0.0.1:7201", "1=127.0.0.1@127.0.0.1:7201", "1=a:1@b:2,1=a:3@b:4", "1=a:1@b:2,", ""})
  void wrongMembersSyntaxIsAUsageErrorAndWritesNothing(String members) throws Exception {
    Path dir = tmp.resolve("d");
    Result r = restore(backup().toString(), "--data-dir", dir.toString(), "--node-id", "1", "--members", members);
    assertEquals(2, r.code, r.err);
    assertTrue(r.err.contains("--members") || r.err.contains("member"), r.err);
    assertFalse(Files.exists(dir));
  }

  @Test
  void aNodeIdOutsideTheMembersIsAUsageError() throws Exception {
    Result r = restore(backup().toString(), "--data-dir", tmp.resolve("d").toString(), "--node-id", "3", "--members", MEMBERS);
    assertEquals(2, r.code, r.err);
    assertTrue(r.err.contains("not among --members"), r.err);
  }

  @Test
  void aCorruptedBackupFailsWithExit1() throws Exception {
    Path file = backup();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 20] ^= 1; // inside the data
    Files.write(file, bytes);
    Path dir = tmp.resolve("d");
    Result r = restore(file.toString(), "--data-dir", dir.toString(), "--node-id", "1", "--members", MEMBERS);
    assertEquals(1, r.code, r.out);
    assertTrue(r.err.contains("CRC32C"), r.err);
    assertFalse(Files.exists(dir));
  }

  @Test
  void aNonEmptyDataDirFailsWithExit1() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Files.writeString(dir.resolve("x"), "x");
    Result r = restore(backup().toString(), "--data-dir", dir.toString(), "--node-id", "1", "--members", MEMBERS);
    assertEquals(1, r.code, r.out);
    assertTrue(r.err.contains("not empty"), r.err);
  }

  @Test
  void aRestoreReportsWhatItBuilt() throws Exception {
    Result r = restore(backup().toString(), "--data-dir", tmp.resolve("d").toString(), "--node-id", "2", "--members", MEMBERS);
    assertEquals(0, r.code, r.err);
    assertTrue(r.out.contains("holds node 2 of a new cluster of voters [1, 2]") && r.out.contains("last_index=99"), r.out);
  }

  @Test
  void mainRunsTheSnapshotCommandsAndTheirHelp() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of("snapshot", "restore", "--help"), new PrintStream(out, true), new PrintStream(err, true));
    assertEquals(0, code);
    assertTrue(out.toString().contains("ID=PEER@CLIENT"), out.toString());
    code = Main.run(List.of("snapshot", "restore", backup().toString(), "--data-dir", "x", "--node-id", "1",
        "--members", "nonsense"), new PrintStream(out, true), new PrintStream(err, true));
    assertEquals(2, code);
    code = Main.run(List.of("snapshot", "save"), new PrintStream(out, true), new PrintStream(err, true));
    assertEquals(2, code, "FILE is required");
  }
}
