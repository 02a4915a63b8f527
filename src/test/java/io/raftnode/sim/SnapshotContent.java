package io.raftnode.sim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * Compares KvStateMachine snapshots by the state they hold. The keys are written in the order of the map's hash
 * table, and that layout depends on the order the keys went in: a node that restored them from a snapshot put them
 * in another order than one that applied the log, and with linear probing two keys that compete for a slot may end
 * up either way round. So the keys are sorted before the comparison; everything else (the
 * exactly-once table above all) is written in an order every node agrees on and is compared as it is.
 */
final class SnapshotContent {
  private SnapshotContent() {}

  /** True when two snapshots hold the same state, whatever the order of their keys. */
  static boolean sameState(byte[] a, byte[] b) {
    return Arrays.equals(canonical(a), canonical(b));
  }

  private static byte[] canonical(byte[] snapshot) {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(snapshot);
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      int fields = u.unpackMapHeader();
      p.packMapHeader(fields);
      for (int i = 0; i < fields; i++) {
        String name = u.unpackString();
        p.packString(name);
        Value value = u.unpackValue();
        if (name.equals("data")) value = sortedByKey(value);
        p.packValue(value);
      }
      return p.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("a snapshot that does not decode: " + e, e);
    }
  }

  private static Value sortedByKey(Value data) {
    List<Value> entries = new ArrayList<>(data.asArrayValue().list());
    entries.sort((a, b) -> Arrays.compareUnsigned(key(a), key(b)));
    return org.msgpack.value.ValueFactory.newArray(entries);
  }

  private static byte[] key(Value entry) {
    return entry.asArrayValue().get(0).asBinaryValue().asByteArray();
  }
}
