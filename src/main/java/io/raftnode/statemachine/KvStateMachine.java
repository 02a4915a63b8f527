package io.raftnode.statemachine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The default replicated key-value store: an in-memory map from key to (value, revision), plus the client
 * sessions that make writes carrying a {@link RequestId} apply at most once. Commands are {@link KvCommand}s
 * encoded by {@link KvCodec}. All work is in memory, so the node runs it on its event loop. Keys and values are
 * packed into large arrays ({@link PackedKvMap}), which a snapshot captures without copying; {@link KvSnapshot}
 * writes it.
 */
public class KvStateMachine implements StateMachine {
  /** Clients remembered for exactly-once writes unless the constructor says otherwise. */
  public static final int DEFAULT_MAX_CLIENTS = 100_000;

  /** Replaced, not cleared, by a restore: a snapshot still being written from the old map keeps its view. */
  private PackedKvMap data = new PackedKvMap();
  private final ClientSessions sessions;

  /** A key's value and the revision (log index) that wrote it. */
  record Versioned(byte[] value, long revision) {}

  public KvStateMachine() {
    this(DEFAULT_MAX_CLIENTS);
  }

  /** @param maxClients how many clients' last writes are remembered for exactly-once writes (the oldest go first) */
  public KvStateMachine(int maxClients) {
    this.sessions = new ClientSessions(maxClients);
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    KvCommand decoded = KvCodec.decodeCommand(command);
    RequestId id = decoded.requestId();
    if (id == null) return KvCodec.encode(execute(index, decoded));
    ClientSessions.Session last = sessions.get(id.clientId());
    if (last != null && id.sequence() < last.sequence()) {
      return KvCodec.encode(new KvResult(0, false, null, false, "stale sequence " + id.sequence() + " for client \""
          + id.clientId() + "\": sequence " + last.sequence() + " was already applied"));
    }
    // A retry of the last write gets the recorded answer; it also counts as activity for the eviction order.
    byte[] result = last != null && id.sequence() == last.sequence()
        ? last.result()
        : KvCodec.encode(execute(index, decoded));
    sessions.record(id.clientId(), id.sequence(), index, result);
    return result;
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

  /** Number of clients remembered for exactly-once writes. */
  public int clientCount() {
    return sessions.size();
  }

  @Override
  public boolean supportsSnapshots() {
    return true;
  }

  /**
   * O(1) for the keys: the map is walked later by the writer, on a worker, while applies go on. The session table
   * (at most {@code maxClients} entries) is copied here.
   */
  @Override
  public SnapshotWriter snapshot() {
    PackedKvCapture capture = data.capture();
    java.util.List<KvSnapshot.SessionRow> sessionRows = KvSnapshot.rows(sessions);
    return new SnapshotWriter() {
      @Override
      public void writeTo(OutputStream out) throws IOException {
        KvSnapshot.write(out, capture, sessionRows);
      }

      @Override
      public void release() {
        capture.release();
      }
    };
  }

  @Override
  public void restore(InputStream in) throws IOException {
    sessions.clear();
    data = KvSnapshot.read(in, sessions);
  }

  /** Writes the whole state (keys and client sessions) at once, on this thread; {@link #readSnapshot} restores it. */
  public void writeSnapshot(OutputStream out) throws IOException {
    SnapshotWriter w = snapshot();
    try {
      w.writeTo(out);
    } finally {
      w.release();
    }
  }

  /** Replaces the whole state with a snapshot written by {@link #writeSnapshot} or {@link #snapshot()}. */
  public void readSnapshot(InputStream in) throws IOException {
    restore(in);
  }

  private KvResult execute(long index, KvCommand command) {
    byte[] key = command.key();
    if (command instanceof KvCommand.Put put) {
      data.put(key, put.value(), index);
      return new KvResult(index, true, null, true);
    }
    if (command instanceof KvCommand.Delete) {
      return new KvResult(index, data.remove(key), null, false);
    }
    if (command instanceof KvCommand.CompareAndSwap cas) {
      return compareAndSwap(index, key, cas);
    }
    return read(command.key());
  }

  private KvResult compareAndSwap(long index, byte[] key, KvCommand.CompareAndSwap cas) {
    Versioned current = data.get(key);
    boolean matches = cas.expectPresent()
        ? current != null && Arrays.equals(current.value(), cas.expected())
        : current == null;
    if (matches) {
      data.put(key, cas.newValue(), index);
      return new KvResult(index, true, cas.newValue(), true);
    }
    return new KvResult(index, false, current == null ? null : current.value(), current != null);
  }

  private KvResult read(byte[] keyBytes) {
    Versioned current = data.get(keyBytes);
    return current == null
        ? new KvResult(0, false, null, false)
        : new KvResult(current.revision(), true, current.value(), true);
  }
}
