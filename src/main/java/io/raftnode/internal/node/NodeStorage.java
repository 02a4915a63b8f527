package io.raftnode.internal.node;

import io.raftnode.internal.storage.DataDir;
import io.raftnode.internal.storage.LogStore;
import io.raftnode.internal.storage.SnapshotStore;
import io.raftnode.internal.storage.VoteStore;
import java.nio.file.Path;

/** The stores of one data dir, opened together and closed together. */
public record NodeStorage(LogStore logStore, VoteStore voteStore, SnapshotStore snapshotStore, AutoCloseable closer)
    implements AutoCloseable {

  /** Opens (creating if needed) and locks the data dir; throws if another process holds it or it is corrupt. */
  public static NodeStorage open(Path dataDir) throws Exception {
    DataDir dir = DataDir.open(dataDir);
    try {
      return new NodeStorage(dir.logStore(), dir.voteStore(), SnapshotStore.open(dataDir), dir);
    } catch (Exception e) {
      dir.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    closer.close();
  }
}
