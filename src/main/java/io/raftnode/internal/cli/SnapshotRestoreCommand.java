package io.raftnode.internal.cli;

import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.storage.SnapshotRestore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code snapshot restore FILE --data-dir DIR --node-id N --members ...}: builds, offline, the data dir of one node
 * of a new cluster from a backup ({@link SnapshotRestore} does the work).
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Build DIR as the data dir of node N of a NEW cluster from the backup FILE (written by "
        + "`snapshot save`), offline: the backup's data and client sessions, its last log id, the members given "
        + "here as the voters (the old membership and its removed ids are dropped) and an empty log after it.",
        "Restore every member's data dir from the same FILE with the same --members, then start the nodes "
        + "with configs naming those addresses. DIR must be new or empty; the checksum is verified first."},
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:restored",
        "1:the backup is damaged, DIR is not empty, or writing failed", "2:bad usage"})
public final class SnapshotRestoreCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the backup file")
  Path file;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "the data dir to create (new or empty)")
  Path dataDir;

  @Option(names = "--node-id", required = true, paramLabel = "N", description = "the id of the node DIR is for")
  long nodeId;

  @Option(names = "--members", required = true, paramLabel = "ID=PEER@CLIENT,...",
      converter = MembersConverter.class,
      description = {"the new cluster's voters as the \"members\" map of conf/*.json has them: id, peer_address "
          + "and client_address of each, e.g.",
          "1=127.0.0.1:7101@127.0.0.1:7201,2=127.0.0.1:7102@127.0.0.1:7202,3=127.0.0.1:7103@127.0.0.1:7203"})
  MembersConverter.Members members;

  @Override
  public Integer call() {
    if (nodeId < 1) throw new ParameterException(spec.commandLine(), "bad --node-id: must be 1 or more, got " + nodeId);
    if (!members.byId().containsKey(nodeId))
      throw new ParameterException(spec.commandLine(), "--node-id " + nodeId + " is not among --members " + members.byId().keySet());
    try {
      SnapshotMeta meta = SnapshotRestore.restore(file, dataDir, nodeId, members.byId());
      spec.commandLine().getOut().printf("snapshot restore: %s now holds node %d of a new cluster of voters %s, "
          + "from %s (last_index=%d last_term=%d)%n", dataDir, nodeId, members.byId().keySet(), file, meta.lastIndex(),
          meta.lastLogId().term());
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
  }
}
