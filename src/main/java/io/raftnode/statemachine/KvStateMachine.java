package io.raftnode.statemachine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The default replicated key-value store: an in-memory map from key to (value, revision). Commands are
 * {@link KvCommand}s encoded by {@link KvCodec}. All work is in memory, so the node runs it on its event loop.
 */
public class KvStateMachine implements StateMachine {
  private final Map<Key, Versioned> data = new HashMap<>();

  /** Byte-array keys with value equality. */
  private record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  private record Versioned(byte[] value, long revision) {}

  @Override
  public byte[] apply(long index, byte[] command) {
    return KvCodec.encode(execute(index, KvCodec.decodeCommand(command)));
  }

  @Override
  public byte[] query(byte[] query) {
    KvCommand command = KvCodec.decodeCommand(query);
    if (!(command instanceof KvCommand.Get get)) {
      throw new IllegalArgumentException("only get can be answered without the log");
    }
    return KvCodec.encode(read(get.key()));
  }

  @Override
  public boolean runsOnEventLoop() {
    return true;
  }

  /** Number of keys held. */
  public int size() {
    return data.size();
  }

  private KvResult execute(long index, KvCommand command) {
    Key key = new Key(command.key());
    if (command instanceof KvCommand.Put put) {
      data.put(key, new Versioned(put.value(), index));
      return new KvResult(index, true, null, true);
    }
    if (command instanceof KvCommand.Delete) {
      return new KvResult(index, data.remove(key) != null, null, false);
    }
    if (command instanceof KvCommand.CompareAndSwap cas) {
      return compareAndSwap(index, key, cas);
    }
    return read(command.key());
  }

  private KvResult compareAndSwap(long index, Key key, KvCommand.CompareAndSwap cas) {
    Versioned current = data.get(key);
    boolean matches = cas.expectPresent()
        ? current != null && Arrays.equals(current.value(), cas.expected())
        : current == null;
    if (matches) {
      data.put(key, new Versioned(cas.newValue(), index));
      return new KvResult(index, true, cas.newValue(), true);
    }
    return new KvResult(index, false, current == null ? null : current.value(), current != null);
  }

  private KvResult read(byte[] keyBytes) {
    Versioned current = data.get(new Key(keyBytes));
    return current == null
        ? new KvResult(0, false, null, false)
        : new KvResult(current.revision(), true, current.value(), true);
  }
}
