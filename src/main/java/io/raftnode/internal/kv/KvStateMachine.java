package io.raftnode.internal.kv;

import io.raftnode.statemachine.SnapshotWriter;
import io.raftnode.statemachine.StateMachine;
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
  /**
   * {@link PackedKvMap#storeBytes()} as of the last apply or restore, for the threads that admit writes and
   * export metrics: the map itself is only ever touched by the thread that applies.
   */
  private volatile long storeBytes;

  /** A key's value and the revision (log index) that wrote it. */
  record Versioned(byte[] value, long revision) {}

  public KvStateMachine() {
    this(SessionLimits.DEFAULT);
  }

  /** @param maxClients how many clients are remembered for exactly-once writes (the other limits as by default) */
  public KvStateMachine(int maxClients) {
    this(SessionLimits.withMaxClients(maxClients));
  }

  /** @param limits the bounds of the exactly-once table; every node of a cluster must use the same */
  public KvStateMachine(SessionLimits limits) {
    this.sessions = new ClientSessions(limits);
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    byte[] result = applyCommand(index, command);
    storeBytes = data.storeBytes();
    return result;
  }

  private byte[] applyCommand(long index, byte[] command) {
    KvCommand decoded = KvCodec.decodeCommand(command);
    RequestId id = decoded.requestId();
    if (id == null) return KvCodec.encode(execute(index, decoded));
    ClientAnswers client = sessions.lookup(id);
    if (client != null) {
      byte[] recorded = client.answer(id.sequence());
      if (recorded != null) return recorded;
      if (id.sequence() < client.floor()) return stale(id, client.floor());
    }
    byte[] result = KvCodec.encode(execute(index, decoded));
    sessions.record(client, id, result);
    return result;
  }

  /**
   * A copy of a write below the client's floor: the client has its answer (or the bounds dropped it), so this copy
   * is not applied. An earlier copy may have been: the message must not say the write never happened.
   */
  private static byte[] stale(RequestId id, long floor) {
    return KvCodec.encode(new KvResult(0, false, null, false, "stale sequence " + id.sequence() + " for client \""
        + id.clientId() + "\": the answers of its sequences below " + floor + " are no longer kept, so this request "
        + "was not applied (an earlier copy of it may have been)"));
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

  /**
   * The bytes the store holds for its keys, as of the last entry applied; safe to read from any thread. Each key
   * counts {@link #storeBytesOf} its key and value; records replaced or deleted and not yet compacted away do
   * not count (the arena stays near 1.25 times this, and 32 MiB, see {@link PackedKvMap}).
   */
  public long storeBytes() {
    return storeBytes;
  }

  /**
   * What one key of {@code keyBytes} holding a value of {@code valueBytes} adds to {@link #storeBytes()}: both,
   * plus the record's header and the key's share of the hash table.
   */
  public static long storeBytesOf(int keyBytes, int valueBytes) {
    return PackedKvMap.storeBytesOf(keyBytes, valueBytes);
  }

  /** Number of clients remembered for exactly-once writes. */
  public int clientCount() {
    return sessions.size();
  }

  /** Number of write answers remembered for exactly-once writes, across all clients. */
  public long answerCount() {
    return sessions.answerCount();
  }

  @Override
  public boolean supportsSnapshots() {
    return true;
  }

  /**
   * O(1) for the keys: the map is walked later by the writer, on a worker, while applies go on. The exactly-once
   * table is copied here (references to its answers, which never change): O(clients + answers), both bounded by
   * {@link SessionLimits}.
   */
  @Override
  public SnapshotWriter snapshot() {
    PackedKvCapture capture = data.capture();
    java.util.List<ClientSessions.ClientRow> sessionRows = sessions.rows();
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
    storeBytes = data.storeBytes();
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
