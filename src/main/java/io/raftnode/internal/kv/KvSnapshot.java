package io.raftnode.internal.kv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * The snapshot form of {@link KvStateMachine}, written and read as a stream so that neither side holds it in
 * memory: a msgpack map {@code {format: 2, data: [[key, value, revision]...], clients: [[client_id, floor,
 * [[sequence, result]...]]...]}}. Keys come in no particular order (the map is a hash map). Clients are written
 * least recently written first, each with its answers by ascending sequence, so a restored node keeps and forgets
 * exactly what every other node does. Unknown top-level keys are skipped.
 *
 * <p>Format 1 (older nodes) kept one answer per client: {@code sessions: [[client_id, sequence, index, result]...]}.
 * Such a row restores as that one answer with the floor at its sequence: the older node refused every lower
 * sequence, so none of them may apply now (some did apply, and their answers are gone).
 */
final class KvSnapshot {
  static final int FORMAT = 2;
  private static final int FORMAT_ONE_ANSWER_PER_CLIENT = 1;

  /**
   * Values longer than this go from the map's arrays straight to {@code out} instead of through the packer's own
   * buffer: one copy fewer for the bytes that make up most of a snapshot.
   */
  private static final int COPY_THROUGH_BUFFER_BYTES = 512;
  private static final MessagePack.PackerConfig PACKER =
      new MessagePack.PackerConfig().withBufferFlushThreshold(COPY_THROUGH_BUFFER_BYTES);

  private KvSnapshot() {}

  static void write(OutputStream out, PackedKvCapture data, List<ClientSessions.ClientRow> clients) throws IOException {
    MessagePacker p = PACKER.newPacker(out);
    p.packMapHeader(3);
    p.packString("format").packInt(FORMAT);
    int count = data.size();
    p.packString("data").packArrayHeader(count);
    int[] written = {0};
    data.forEach((chunk, keyAt, keyLength, valueAt, valueLength, revision) -> {
      p.packArrayHeader(3);
      p.packBinaryHeader(keyLength).writePayload(chunk, keyAt, keyLength);
      p.packBinaryHeader(valueLength).writePayload(chunk, valueAt, valueLength);
      p.packLong(revision);
      written[0]++;
    });
    if (written[0] != count) throw new IllegalStateException("snapshot view changed size: " + written[0] + " of " + count);
    p.packString("clients").packArrayHeader(clients.size());
    for (ClientSessions.ClientRow row : clients) {
      p.packArrayHeader(3).packString(row.clientId()).packLong(row.floor());
      p.packArrayHeader(row.sequences().length);
      for (int i = 0; i < row.sequences().length; i++) {
        p.packArrayHeader(2).packLong(row.sequences()[i]);
        bin(p, row.results()[i]);
      }
    }
    p.flush();
  }

  /** Reads a snapshot written by {@link #write} (or format 1): the table goes into {@code sessions}, the keys into the map returned. */
  static PackedKvMap read(InputStream in, ClientSessions sessions) throws IOException {
    MessageUnpacker u = MessagePack.newDefaultUnpacker(in);
    PackedKvMap data = new PackedKvMap();
    int fields = u.unpackMapHeader();
    for (int i = 0; i < fields; i++) {
      switch (u.unpackString()) {
        case "format" -> {
          int format = u.unpackInt();
          if (format != FORMAT && format != FORMAT_ONE_ANSWER_PER_CLIENT) {
            throw new IOException("unknown key-value snapshot format " + format);
          }
        }
        case "data" -> data = readData(u);
        case "clients" -> readClients(u, sessions);
        case "sessions" -> readOneAnswerPerClient(u, sessions);
        default -> u.skipValue();
      }
    }
    sessions.enforceBounds(null);
    return data;
  }

  private static PackedKvMap readData(MessageUnpacker u) throws IOException {
    int n = u.unpackArrayHeader();
    PackedKvMap data = new PackedKvMap(n);
    for (int k = 0; k < n; k++) {
      if (u.unpackArrayHeader() != 3) throw new IOException("key-value snapshot entry " + k + " is not [key, value, revision]");
      byte[] key = u.readPayload(u.unpackBinaryHeader());
      byte[] value = u.readPayload(u.unpackBinaryHeader());
      data.put(key, value, u.unpackLong());
    }
    return data;
  }

  private static void readClients(MessageUnpacker u, ClientSessions sessions) throws IOException {
    int n = u.unpackArrayHeader();
    for (int k = 0; k < n; k++) {
      if (u.unpackArrayHeader() != 3) throw new IOException("key-value snapshot client " + k + " is not [client_id, floor, answers]");
      String client = u.unpackString();
      long floor = u.unpackLong();
      int answers = u.unpackArrayHeader();
      long[] sequences = new long[answers];
      byte[][] results = new byte[answers][];
      for (int a = 0; a < answers; a++) {
        if (u.unpackArrayHeader() != 2) throw new IOException("an answer of client " + k + " is not [sequence, result]");
        sequences[a] = u.unpackLong();
        results[a] = u.readPayload(u.unpackBinaryHeader());
      }
      restore(sessions, new ClientSessions.ClientRow(client, floor, sequences, results));
    }
  }

  private static void readOneAnswerPerClient(MessageUnpacker u, ClientSessions sessions) throws IOException {
    int n = u.unpackArrayHeader();
    for (int k = 0; k < n; k++) {
      if (u.unpackArrayHeader() != 4) throw new IOException("key-value snapshot session " + k + " is not [client_id, sequence, index, result]");
      String client = u.unpackString();
      long sequence = u.unpackLong();
      u.unpackLong(); // the log index of that write: the order of the rows already says what it was for
      byte[] result = u.readPayload(u.unpackBinaryHeader());
      restore(sessions, new ClientSessions.ClientRow(client, sequence, new long[] {sequence}, new byte[][] {result}));
    }
  }

  private static void restore(ClientSessions sessions, ClientSessions.ClientRow row) throws IOException {
    try {
      sessions.restore(row);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IOException("key-value snapshot client \"" + row.clientId() + "\": " + e.getMessage(), e);
    }
  }

  private static void bin(MessagePacker p, byte[] bytes) throws IOException {
    p.packBinaryHeader(bytes.length).writePayload(bytes);
  }
}
