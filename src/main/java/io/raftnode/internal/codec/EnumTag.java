package io.raftnode.internal.codec;

import java.io.IOException;
import org.msgpack.value.ValueType;

/**
 * The tag of an externally tagged enum, as serde writes it: a unit variant is its name as a string, a variant
 * with data is a map with exactly one key, the name, whose value is the data. After {@link #read} on the map form
 * the reader is positioned on the value and its path names the variant; {@link #close} leaves it.
 */
final class EnumTag {
  final String name;
  /** True for the map form: a value follows and must be read before {@link #close}. */
  final boolean hasValue;
  private final MsgpackReader r;

  private EnumTag(MsgpackReader r, String name, boolean hasValue) {
    this.r = r;
    this.name = name;
    this.hasValue = hasValue;
  }

  static EnumTag read(MsgpackReader r) throws CodecException, IOException {
    ValueType t = r.peekType();
    if (t == ValueType.STRING) return new EnumTag(r, r.readString(), false);
    if (t != ValueType.MAP)
      throw r.error("expected variant name (string) or single-key map, got " + MsgpackReader.describe(t));
    int n = r.readMapHeader();
    if (n != 1) throw r.error("expected a map with exactly one key (the variant), got " + n + " keys");
    ValueType kt = r.peekType();
    if (kt != ValueType.STRING) throw r.error("expected variant name (string) key, got " + MsgpackReader.describe(kt));
    String name = r.readString();
    r.enterField(name);
    return new EnumTag(r, name, true);
  }

  /**
   * For a unit variant: accepts both the bare name and the map form with a nil value, which some serde
   * serializers write.
   */
  void readUnit() throws CodecException, IOException {
    if (hasValue && !r.readNilIfPresent()) throw r.error("unit variant " + name + " takes no value, expected nil");
  }

  /** For a variant that carries data: fails if the data is missing (the bare-name form). */
  void requireValue() throws CodecException {
    if (!hasValue) throw r.error("variant " + name + " carries data, expected {\"" + name + "\": ...}");
  }

  CodecException unknown() {
    return r.error("unknown variant \"" + name + "\"");
  }

  void close() {
    if (hasValue) r.leave();
  }
}
