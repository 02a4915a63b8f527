package io.raftnode.statemachine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * The snapshot form of {@link KvStateMachine}: a msgpack map {@code {format: 1, data: [[key, value, revision]...],
 * sessions: [[client_id, sequence, index, result]...]}}. Sessions are written oldest first, so a restored node
 * forgets clients in the same order as every other node.
 */
final class KvSnapshot {
  static final int FORMAT = 1;

  private KvSnapshot() {}

  static void write(OutputStream out, Map<KvStateMachine.Key, KvStateMachine.Versioned> data, ClientSessions sessions)
      throws IOException {
    MessagePacker p = MessagePack.newDefaultPacker(out);
    p.packMapHeader(3);
    p.packString("format").packInt(FORMAT);
    p.packString("data").packArrayHeader(data.size());
    for (Map.Entry<KvStateMachine.Key, KvStateMachine.Versioned> e : data.entrySet()) {
      p.packArrayHeader(3);
      bin(p, e.getKey().bytes());
      bin(p, e.getValue().value());
      p.packLong(e.getValue().revision());
    }
    p.packString("sessions").packArrayHeader(sessions.size());
    IOException[] failed = {null};
    sessions.forEach((client, s) -> {
      try {
        p.packArrayHeader(4).packString(client).packLong(s.sequence()).packLong(s.index());
        bin(p, s.result());
      } catch (IOException e) {
        failed[0] = e;
      }
    });
    if (failed[0] != null) throw failed[0];
    p.flush();
  }

  static void read(InputStream in, Map<KvStateMachine.Key, KvStateMachine.Versioned> data, ClientSessions sessions)
      throws IOException {
    MessageUnpacker u = MessagePack.newDefaultUnpacker(in);
    int fields = u.unpackMapHeader();
    for (int i = 0; i < fields; i++) {
      switch (u.unpackString()) {
        case "format" -> {
          int format = u.unpackInt();
          if (format != FORMAT) throw new IOException("unknown key-value snapshot format " + format);
        }
        case "data" -> {
          int n = u.unpackArrayHeader();
          for (int k = 0; k < n; k++) {
            u.unpackArrayHeader();
            byte[] key = u.readPayload(u.unpackBinaryHeader());
            byte[] value = u.readPayload(u.unpackBinaryHeader());
            data.put(new KvStateMachine.Key(key), new KvStateMachine.Versioned(value, u.unpackLong()));
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
  }

  private static void bin(MessagePacker p, byte[] bytes) throws IOException {
    p.packBinaryHeader(bytes.length).writePayload(bytes);
  }
}
