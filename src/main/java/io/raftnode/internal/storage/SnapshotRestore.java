package io.raftnode.internal.storage;

import io.raftnode.internal.model.LogId;
import io.raftnode.internal.model.Membership;
import io.raftnode.internal.model.Node;
import io.raftnode.internal.model.SnapshotMeta;
import io.raftnode.internal.model.StoredMembership;
import io.raftnode.internal.model.Vote;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds the data dir of one node of a new cluster from a backup ({@code snapshot restore}), offline: no node may
 * be running on it. The dir gets the backup's snapshot data (the state machine's data and its client sessions)
 * under the backup's last log id, with the membership given here instead of the old one and no removed ids (a new
 * cluster has removed nobody), an empty log continuing after the snapshot, and a vote in the snapshot's term for
 * nobody, so the first election is in a later term than every entry the snapshot covers. Every node of the new
 * cluster is restored from the same backup with the same members, so they all start from one state.
 */
public final class SnapshotRestore {
  private SnapshotRestore() {}

  /** Refused before anything was written: the reason names what to change. */
  public static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /**
   * Verifies {@code backup}'s checksum and builds {@code dataDir} (which must not exist or be empty) for node
   * {@code nodeId} of a cluster whose voters are {@code members}; returns the meta of the snapshot written.
   */
  public static SnapshotMeta restore(Path backup, Path dataDir, long nodeId, SortedMap<Long, Node> members)
      throws IOException {
    if (members.isEmpty()) throw new Refused("the new cluster needs at least one member");
    if (!members.containsKey(nodeId))
      throw new Refused("node " + nodeId + " is not among the members " + members.keySet());
    refuseNonEmpty(dataDir);
    BackupFile.Contents backupContents = BackupFile.verify(backup);
    SnapshotMeta old = backupContents.meta();
    if (old.lastLogId() == null) throw new Refused("backup " + backup + " holds the empty snapshot; nothing to restore");
    SnapshotMeta meta = newClusterMeta(old, members);
    try (DataDir dir = DataDir.open(dataDir)) {
      SnapshotStore store = SnapshotStore.open(dataDir);
      try (SnapshotStore.Writer writer = store.create(meta); InputStream in = backupContents.openData()) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) writer.write(buf, 0, n);
        if (writer.crc() != backupContents.crc())
          throw new CorruptDataException("backup " + backup + " changed while it was restored (CRC32C mismatch)");
        writer.finish();
        store.install(writer);
      }
      dir.logStore().purgeUpTo(meta.lastLogId());
      dir.logStore().sync();
      dir.voteStore().save(Vote.of(meta.lastLogId().term(), 0, false));
    }
    return meta;
  }

  /** The backup's last log id and snapshot data with the new cluster's members as voters, none removed. */
  static SnapshotMeta newClusterMeta(SnapshotMeta old, SortedMap<Long, Node> members) {
    LogId last = old.lastLogId();
    Membership membership = Membership.ofVoters(new TreeMap<>(members));
    return new SnapshotMeta(last, new StoredMembership(last, membership), "restored-" + old.snapshotId());
  }

  private static void refuseNonEmpty(Path dataDir) throws IOException {
    if (!Files.exists(dataDir)) return;
    if (!Files.isDirectory(dataDir)) throw new Refused(dataDir + " exists and is not a directory");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
      if (entries.iterator().hasNext())
        throw new Refused("data dir " + dataDir + " is not empty; restore only into a new or empty directory"
            + " (a node's existing data is never overwritten)");
    }
  }
}
