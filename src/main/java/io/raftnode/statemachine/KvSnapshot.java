package io.raftnode.statemachine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * The snapshot form of {@link KvStateMachine}, written and read as a stream so that neither side holds it in
 * memory: a msgpack map {@code {format: 1, data: [[key, value, revision]...], sessions: [[client_id, sequence,
 * index, result]...]}}. Keys come in no particular order (the map is a hash map). Sessions are written oldest
 * first, so a restored node forgets clients in the same order as every other node. Unknown top-level keys are
 * skipped.
 */
final class KvSnapshot {
  static final int FORMAT = 1;

  /** One client session, copied when the snapshot is captured. */
  record SessionRow(String clientId, ClientSessions.Session session) {}

  private KvSnapshot() {}

  /** The session table as rows, oldest first; called on the state machine's thread at capture time. */
  static List<SessionRow> rows(ClientSessions sessions) {
    List<SessionRow> rows = new ArrayList<>(sessions.size());
    sessions.forEach((client, s) -> rows.add(new SessionRow(client, s)));
    return rows;
  }

  static void write(OutputStream out, PackedKvCapture data, List<SessionRow> sessions) throws IOException {
    MessagePacker p = MessagePack.newDefaultPacker(out);
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
    p.packString("sessions").packArrayHeader(sessions.size());
    for (SessionRow row : sessions) {
      p.packArrayHeader(4).packString(row.clientId()).packLong(row.session().sequence()).packLong(row.session().index());
      bin(p, row.session().result());
    }
    p.flush();
  }

  /** Reads a snapshot written by {@link #write}: the sessions go into {@code sessions}, the keys into the map returned. */
  static PackedKvMap read(InputStream in, ClientSessions sessions) throws IOException {
    MessageUnpacker u = MessagePack.newDefaultUnpacker(in);
    PackedKvMap data = new PackedKvMap();
    int fields = u.unpackMapHeader();
    for (int i = 0; i < fields; i++) {
      switch (u.unpackString()) {
        case "format" -> {
          int format = u.unpackInt();
          if (format != FORMAT) throw new IOException("unknown key-value snapshot format " + format);
        }
        case "data" -> {
          int n = u.unpackArrayHeader();
          data = new PackedKvMap(n);
          for (int k = 0; k < n; k++) {
            if (u.unpackArrayHeader() != 3) throw new IOException("key-value snapshot entry " + k + " is not [key, value, revision]");
            byte[] key = u.readPayload(u.unpackBinaryHeader());
            byte[] value = u.readPayload(u.unpackBinaryHeader());
            data.put(key, value, u.unpackLong());
          }
        }
        case "sessions" -> {
          int n = u.unpackArrayHeader();
          for (int k = 0; k < n; k++) {
            u.unpackArrayHeader();
            String client = u.unpackString();
            long sequence = u.unpackLong();
            long index = u.unpackLong();
            sessions.record(client, sequence, index, u.readPayload(u.unpackBinaryHeader()));
          }
        }
        default -> u.skipValue();
      }
    }
    return data;
  }

  private static void bin(MessagePacker p, byte[] bytes) throws IOException {
    p.packBinaryHeader(bytes.length).writePayload(bytes);
  }
}
