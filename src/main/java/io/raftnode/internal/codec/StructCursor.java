package io.raftnode.internal.codec;

import java.io.IOException;
import org.msgpack.value.ValueType;

/**
 * Walks the fields of one struct written either as a map keyed by field name (any order) or as an array of
 * fields in declaration order. Unknown map keys and array elements past the known fields are skipped, so newer
 * writers can add fields; a field named twice is rejected.
 *
 * <p>Usage: {@code int f; while ((f = c.next()) >= 0) switch (f) { ... read the field ... }} then
 * {@link #require} the fields that have no default. While a field is being read the reader's path names it.
 */
final class StructCursor {
  private final MsgpackReader r;
  private final String[] names;
  private final boolean isArray;
  private int remaining;
  private int position;
  private long seen;
  private boolean fieldOpen;

  /** Reads the map or array header of a struct whose fields are {@code names} (at most 64). */
  StructCursor(MsgpackReader r, String[] names) throws CodecException, IOException {
    this.r = r;
    this.names = names;
    ValueType t = r.peekType();
    if (t == ValueType.MAP) {
      isArray = false;
      remaining = r.readMapHeader();
    } else if (t == ValueType.ARRAY) {
      isArray = true;
      remaining = r.readArrayHeader();
    } else {
      throw r.error("expected map or array, got " + MsgpackReader.describe(t));
    }
  }

  /** The index in {@code names} of the next known field, positioned on its value; -1 when the struct is done. */
  int next() throws CodecException, IOException {
    if (fieldOpen) {
      r.leave();
      fieldOpen = false;
    }
    while (remaining > 0) {
      remaining--;
      int field;
      if (isArray) {
        field = position++;
        if (field >= names.length) {
          r.enterIndex(field);
          r.skip();
          r.leave();
          continue;
        }
      } else {
        field = r.readFieldIndex(names);
        if (field < 0) {
          r.enterField(r.unknownKey());
          r.skip();
          r.leave();
          continue;
        }
        if ((seen & (1L << field)) != 0) throw r.error("duplicate key \"" + names[field] + "\"");
      }
      seen |= 1L << field;
      r.enterField(names[field]);
      fieldOpen = true;
      return field;
    }
    return -1;
  }

  boolean has(int field) {
    return (seen & (1L << field)) != 0;
  }

  /** Fails, naming the struct, unless every listed field was present. */
  void require(int... fields) throws CodecException {
    for (int f : fields) if (!has(f)) throw r.error("missing field \"" + names[f] + "\"");
  }
}
