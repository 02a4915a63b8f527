package io.raftnode.internal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftnode.internal.model.Vote;
import org.junit.jupiter.api.Test;

class InMemoryVoteStoreTest {
  @Test
  void startsInitialAndKeepsTheLastSavedVote() {
    InMemoryVoteStore store = new InMemoryVoteStore();
    assertEquals(Vote.INITIAL, store.load());
    store.save(Vote.of(2, 1, false));
    store.save(Vote.of(2, 1, true));
    assertEquals(Vote.of(2, 1, true), store.load());
    assertThrows(IllegalArgumentException.class, () -> store.save(null));
  }
}
