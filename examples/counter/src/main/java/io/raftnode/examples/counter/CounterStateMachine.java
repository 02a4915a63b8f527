package io.raftnode.examples.counter;

import io.raftnode.statemachine.SnapshotWriter;
import io.raftnode.statemachine.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named counters, replicated: the application's own state machine. A command adds to one counter
 * ({@link CounterCommands#add}); a query reads one ({@link CounterCommands#get}). Snapshots write every counter,
 * so a node that restarts or falls far behind gets the counters without replaying the whole log.
 */
public final class CounterStateMachine implements StateMachine {
  private final Map<String, Long> counters = new TreeMap<>();

  @Override
  public byte[] apply(long index, byte[] command) {
    CounterCommands.Add add = CounterCommands.parseAdd(command);
    long value = counters.merge(add.name(), add.delta(), Long::sum);
    return CounterCommands.value(value);
  }

  @Override
  public byte[] query(byte[] query) {
    return CounterCommands.value(counters.getOrDefault(new String(query, StandardCharsets.UTF_8), 0L));
  }

  /** Adding is pure in-memory work, so the node may call it on its event loop. */
  @Override
  public boolean runsOnEventLoop() {
    return true;
  }

  @Override
  public boolean supportsSnapshots() {
    return true;
  }

  /**
   * Captures the counters: a copy, which is small here. A large state would capture something cheaper (a
   * persistent map, a copy-on-write generation) since this runs between two applies.
   */
  @Override
  public SnapshotWriter snapshot() {
    Map<String, Long> captured = new TreeMap<>(counters);
    return out -> {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(captured.size());
      for (Map.Entry<String, Long> counter : captured.entrySet()) {
        data.writeUTF(counter.getKey());
        data.writeLong(counter.getValue());
      }
      data.flush();
    };
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    Map<String, Long> restored = new TreeMap<>();
    int size = data.readInt();
    if (size < 0) throw new EOFException("a snapshot with " + size + " counters");
    for (int i = 0; i < size; i++) restored.put(data.readUTF(), data.readLong());
    counters.clear();
    counters.putAll(restored);
  }
}
