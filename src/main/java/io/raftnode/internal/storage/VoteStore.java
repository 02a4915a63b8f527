package io.raftnode.internal.storage;

import io.raftnode.internal.model.Vote;
import java.io.IOException;

/** The durable vote. Blocking: call only from the node's storage worker. */
public interface VoteStore {

  /** The saved vote, or {@link Vote#INITIAL} when none was ever saved. */
  Vote load() throws IOException;

  /** Replace the saved vote; durable before returning. */
  void save(Vote vote) throws IOException;
}
