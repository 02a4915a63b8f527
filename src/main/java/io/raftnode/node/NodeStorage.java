package io.raftnode.node;

import io.raftnode.storage.DataDir;
import io.raftnode.storage.LogStore;
import io.raftnode.storage.SnapshotStore;
import io.raftnode.storage.VoteStore;
import java.nio.file.Path;

/** The stores of one data dir, opened together and closed together. */
record NodeStorage(LogStore logStore, VoteStore voteStore, SnapshotStore snapshotStore, AutoCloseable closer)
    implements AutoCloseable {

  /** Opens (creating if needed) and locks the data dir; throws if another process holds it or it is corrupt. */
  static NodeStorage open(Path dataDir) throws Exception {
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
