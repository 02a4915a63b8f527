package io.raftnode.statemachine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The default replicated key-value store: an in-memory sorted map from key to (value, revision). Commands are
 * {@link KvCommand}s encoded by {@link KvCodec}. All work is in memory, so the node runs it on its event loop.
 * A snapshot captures the map without copying it ({@link CapturingMap}) and is written by {@link KvSnapshotStream}.
 */
public class KvStateMachine implements StateMachine {
  private final CapturingMap<Key, Versioned> data = new CapturingMap<>();

  /** Byte-array keys with value equality, ordered as unsigned bytes. */
  record Key(byte[] bytes) implements Comparable<Key> {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Key o) {
      return Arrays.compareUnsigned(bytes, o.bytes);
    }
  }

  record Versioned(byte[] value, long revision) {}

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

  @Override
  public boolean supportsSnapshots() {
    return true;
  }

  /** Costs O(1) here on the event loop; the map is walked later by the writer, on a worker. */
  @Override
  public SnapshotWriter snapshot() {
    CapturingMap<Key, Versioned>.Capture capture = data.capture();
    return new SnapshotWriter() {
      @Override
      public void writeTo(java.io.OutputStream out) throws IOException {
        KvSnapshotStream.write(out, capture);
      }

      @Override
      public void release() {
        capture.release();
      }
    };
  }

  @Override
  public void restore(InputStream in) throws IOException {
    data.clear();
    KvSnapshotStream.read(in, data);
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
