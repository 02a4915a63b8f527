package io.raftnode.node;

import io.raftnode.storage.LogStore;
import io.raftnode.storage.VoteStore;
import java.nio.file.Path;

/** The stores of one data dir, opened together and closed together. */
record NodeStorage(LogStore logStore, VoteStore voteStore, AutoCloseable closer) implements AutoCloseable {

  static NodeStorage open(Path dataDir) throws Exception {
    throw new IllegalStateException("storage not yet wired");
  }

  @Override
  public void close() throws Exception {
    closer.close();
  }
}
