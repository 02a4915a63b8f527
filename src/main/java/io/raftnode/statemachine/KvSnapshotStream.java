package io.raftnode.statemachine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * The snapshot form of {@link KvStateMachine}, written and read as a stream so neither side holds it in memory: a
 * msgpack map {@code {format: 1, data: [[key (bin), value (bin), revision (uint)], ...]}} with keys in ascending
 * unsigned-byte order. Unknown top-level keys are skipped, so later formats can add fields.
 */
final class KvSnapshotStream {
  static final int FORMAT = 1;

  private KvSnapshotStream() {}

  static void write(OutputStream out, CapturingMap<KvStateMachine.Key, KvStateMachine.Versioned>.Capture capture)
      throws IOException {
    MessagePacker p = MessagePack.newDefaultPacker(out);
    p.packMapHeader(2);
    p.packString("format").packInt(FORMAT);
    int count = capture.size();
    p.packString("data").packArrayHeader(count);
    int[] written = {0};
    IOException[] failed = {null};
    capture.forEach((key, versioned) -> {
      if (failed[0] != null) return;
      try {
        p.packArrayHeader(3);
        bin(p, key.bytes());
        bin(p, versioned.value());
        p.packLong(versioned.revision());
        written[0]++;
      } catch (IOException e) {
        failed[0] = e;
      }
    });
    if (failed[0] != null) throw failed[0];
    if (written[0] != count) throw new IllegalStateException("snapshot view changed size: " + written[0] + " of " + count);
    p.flush();
  }

  static void read(InputStream in, CapturingMap<KvStateMachine.Key, KvStateMachine.Versioned> data) throws IOException {
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
            if (u.unpackArrayHeader() != 3) throw new IOException("key-value snapshot entry " + k + " is not [key, value, revision]");
            byte[] key = u.readPayload(u.unpackBinaryHeader());
            byte[] value = u.readPayload(u.unpackBinaryHeader());
            data.put(new KvStateMachine.Key(key), new KvStateMachine.Versioned(value, u.unpackLong()));
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
