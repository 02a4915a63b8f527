package io.raftnode.cluster;

import io.raftnode.internal.kv.KvCodec;
import io.raftnode.internal.kv.KvCommand;
import io.raftnode.internal.kv.KvStateMachine;
import io.raftnode.statemachine.SnapshotWriter;
import io.raftnode.statemachine.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which log indexes each Put value without a request id was applied at, over every node of a cluster and every
 * life of each node: a test hook on the state machine. Every node applies the same entry at an index, so a value
 * seen at two indexes was committed twice.
 */
final class AppliedWrites {
  private final Map<String, Set<Long>> indexesByValue = new ConcurrentHashMap<>();

  /** A KvStateMachine for one node that reports here what it applies. */
  StateMachine recording() {
    return new Recording(new KvStateMachine());
  }

  /** The values applied at more than one index, with those indexes. */
  Map<String, Set<Long>> appliedMoreThanOnce() {
    Map<String, Set<Long>> twice = new TreeMap<>();
    indexesByValue.forEach((value, indexes) -> {
      if (indexes.size() > 1) twice.put(value, new TreeSet<>(indexes));
    });
    return twice;
  }

  int distinctValues() {
    return indexesByValue.size();
  }

  private final class Recording implements StateMachine {
    private final KvStateMachine kv;

    Recording(KvStateMachine kv) {
      this.kv = kv;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
      if (KvCodec.decodeCommand(command) instanceof KvCommand.Put put && put.requestId() == null) {
        indexesByValue.computeIfAbsent(new String(put.value(), StandardCharsets.UTF_8), v -> ConcurrentHashMap.newKeySet())
            .add(index);
      }
      return kv.apply(index, command);
    }

    @Override
    public byte[] query(byte[] query) {
      return kv.query(query);
    }

    @Override
    public boolean runsOnEventLoop() {
      return kv.runsOnEventLoop();
    }

    @Override
    public SnapshotWriter snapshot() {
      return kv.snapshot();
    }

    @Override
    public void restore(InputStream in) throws IOException {
      kv.restore(in);
    }

    @Override
    public boolean supportsSnapshots() {
      return kv.supportsSnapshots();
    }
  }
}
