package io.raftnode.internal.codec;

import io.raftnode.internal.model.LeaderId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageIntegerOverflowException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageSizeException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Typed, bounded reads over one msgpack value held in a byte array, tracking the path of the value being read
 * (e.g. {@code AppendEntriesRequest.entries[3].log_id}) so every error says where it happened.
 *
 * <p>Every length read from a header is checked against the bytes left before anything is allocated, so a
 * hostile header cannot make the decoder allocate more than the input's size. Nesting is limited to
 * {@link #MAX_DEPTH} levels so a deeply nested payload cannot exhaust the stack.
 */
final class MsgpackReader {
  /** Deepest nesting accepted; real messages need about 8 levels, the rest is room for new fields. */
  static final int MAX_DEPTH = 64;

  private final MessageUnpacker in;
  private final byte[] bytes;
  /** Holds a map key while it is matched against field names; longer keys cannot be a field's. */
  private final byte[] keyScratch = new byte[32];
  private String unknownKey;
  private LeaderId lastLeaderId;
  private final int size;
  private final String root;
  // Path segments: a field name (String) or an array index (Integer), innermost last.
  private final Object[] path = new Object[MAX_DEPTH + 1];
  private int depth;

  MsgpackReader(byte[] bytes, String root) {
    this.in = MessagePack.newDefaultUnpacker(bytes);
    this.bytes = bytes;
    this.size = bytes.length;
    this.root = root;
  }

  /**
   * {@code id}, or an equal LeaderId this reader returned before: the entries of one message nearly all share their
   * leader, and a follower keeps them in memory until its next snapshot.
   */
  LeaderId shared(LeaderId id) {
    if (id != null && id.equals(lastLeaderId)) return lastLeaderId;
    lastLeaderId = id;
    return id;
  }

  /** How many bytes of the input have been read. */
  long position() {
    return in.getTotalReadBytes();
  }

  /** A copy of the input from {@code start} (a {@link #position()}) up to what has been read now. */
  byte[] bytesSince(long start) {
    return Arrays.copyOfRange(bytes, (int) start, (int) position());
  }

  // ---- path tracking ----

  void enterField(String name) throws CodecException {
    push(name);
  }

  void enterIndex(int index) throws CodecException {
    push(index);
  }

  private void push(Object segment) throws CodecException {
    if (depth == MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH + " levels");
    path[depth++] = segment;
  }

  void leave() {
    path[--depth] = null;
  }

  String path() {
    StringBuilder sb = new StringBuilder(root);
    for (int i = 0; i < depth; i++) {
      Object s = path[i];
      if (s instanceof Integer index) sb.append('[').append(index).append(']');
      else sb.append('.').append(s);
    }
    return sb.toString();
  }

  CodecException error(String message) {
    return new CodecException(path() + ": " + message);
  }

  CodecException error(String message, Throwable cause) {
    return new CodecException(path() + ": " + message, cause);
  }

  // ---- input position ----

  private long remaining() {
    return size - in.getTotalReadBytes();
  }

  /** Fails unless the whole input has been consumed: a payload is exactly one value. */
  void finish() throws CodecException, IOException {
    if (in.hasNext()) throw error(remaining() + " trailing byte(s) after the value");
  }

  /** The type of the next value; fails on end of input and on the reserved byte 0xc1. */
  ValueType peekType() throws CodecException, IOException {
    if (!in.hasNext()) throw error("truncated input: expected a value, reached the end");
    MessageFormat f = in.getNextFormat();
    if (f == MessageFormat.NEVER_USED) throw error("invalid msgpack byte 0xc1");
    return f.getValueType();
  }

  static String describe(ValueType t) {
    return switch (t) {
      case NIL -> "nil";
      case BOOLEAN -> "bool";
      case INTEGER -> "integer";
      case FLOAT -> "float";
      case STRING -> "string";
      case BINARY -> "bin";
      case ARRAY -> "array";
      case MAP -> "map";
      case EXTENSION -> "ext";
    };
  }

  private CodecException typeError(String expected, ValueType got) {
    return error("expected " + expected + ", got " + describe(got));
  }

  // ---- typed reads ----

  /** True (and consumed) when the next value is nil. */
  boolean readNilIfPresent() throws CodecException, IOException {
    if (peekType() != ValueType.NIL) return false;
    in.unpackNil();
    return true;
  }

  boolean readBool() throws CodecException, IOException {
    ValueType t = peekType();
    if (t != ValueType.BOOLEAN) throw typeError("bool", t);
    return in.unpackBoolean();
  }

  /**
   * An unsigned 64-bit integer that fits a Java long (0 .. 2^63-1). Any msgpack integer format is accepted as
   * long as the value is in range; negative values and values above 2^63-1 are rejected.
   */
  long readU64() throws CodecException, IOException {
    ValueType t = peekType();
    if (t != ValueType.INTEGER) throw typeError("unsigned integer", t);
    long v;
    try {
      v = in.unpackLong();
    } catch (MessageIntegerOverflowException e) {
      throw error("unsigned integer " + e.getBigInteger() + " is above the supported maximum 2^63-1", e);
    }
    if (v < 0) throw error("expected unsigned integer, got negative " + v);
    return v;
  }

  String readString() throws CodecException, IOException {
    ValueType t = peekType();
    if (t != ValueType.STRING) throw typeError("string", t);
    int len = checkedLength(stringHeader(), "string");
    return string(in.readPayload(len));
  }

  private String string(byte[] raw) throws CodecException {
    // Field names and addresses are ASCII: take the cheap path for them.
    if (isAscii(raw)) return new String(raw, StandardCharsets.US_ASCII);
    try {
      // Strict decoding: a string that is not valid UTF-8 is a malformed payload, not something to repair.
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw error("string is not valid UTF-8", e);
    }
  }

  /**
   * Reads a map key and returns the index of the field in {@code names} it names, or -1 for a key that is none of
   * them (then {@link #unknownKey()} is that key). Known keys are matched on their bytes, without making a String:
   * field names are ASCII, and this runs for every field of every entry.
   */
  int readFieldIndex(String[] names) throws CodecException, IOException {
    ValueType t = peekType();
    if (t != ValueType.STRING) throw error("expected string key, got " + describe(t));
    int len = checkedLength(stringHeader(), "string");
    byte[] raw = len <= keyScratch.length ? keyScratch : new byte[len];
    in.readPayload(raw, 0, len);
    for (int i = 0; i < names.length; i++) if (asciiEquals(names[i], raw, len)) return i;
    unknownKey = string(Arrays.copyOf(raw, len));
    return -1;
  }

  /** The key {@link #readFieldIndex} last read when it matched no field. */
  String unknownKey() {
    return unknownKey;
  }

  private static boolean asciiEquals(String name, byte[] raw, int len) {
    if (name.length() != len) return false;
    for (int i = 0; i < len; i++) if (name.charAt(i) != raw[i]) return false;
    return true;
  }

  private static boolean isAscii(byte[] raw) {
    for (byte b : raw) if (b < 0) return false;
    return true;
  }

  byte[] readBin() throws CodecException, IOException {
    ValueType t = peekType();
    if (t != ValueType.BINARY) throw typeError("bin", t);
    int len = checkedLength(binHeader(), "bin");
    return in.readPayload(len);
  }

  /** Reads an array header; its element count is bounded by the bytes left (each element takes at least one). */
  int readArrayHeader() throws CodecException, IOException {
    ValueType t = peekType();
    if (t != ValueType.ARRAY) throw typeError("array", t);
    int count;
    try {
      count = in.unpackArrayHeader();
    } catch (MessageSizeException e) {
      throw tooLarge("array", e.getSize(), "elements");
    }
    return checkedCount(count, 1, "array");
  }

  /** Reads a map header; its entry count is bounded by the bytes left (each entry takes at least two). */
  int readMapHeader() throws CodecException, IOException {
    ValueType t = peekType();
    if (t != ValueType.MAP) throw typeError("map", t);
    int count;
    try {
      count = in.unpackMapHeader();
    } catch (MessageSizeException e) {
      throw tooLarge("map", e.getSize(), "elements");
    }
    return checkedCount(count, 2, "map");
  }

  // msgpack-core refuses 32-bit lengths above Integer.MAX_VALUE itself; report them like any other excess.
  private int stringHeader() throws CodecException, IOException {
    try {
      return in.unpackRawStringHeader();
    } catch (MessageSizeException e) {
      throw tooLarge("string", e.getSize(), "bytes");
    }
  }

  private int binHeader() throws CodecException, IOException {
    try {
      return in.unpackBinaryHeader();
    } catch (MessageSizeException e) {
      throw tooLarge("bin", e.getSize(), "bytes");
    }
  }

  private int extHeader() throws CodecException, IOException {
    try {
      return in.unpackExtensionTypeHeader().getLength();
    } catch (MessageSizeException e) {
      throw tooLarge("ext", e.getSize(), "bytes");
    }
  }

  private CodecException tooLarge(String what, long declared, String unit) {
    return error(what + " declares " + declared + " " + unit + " but only " + remaining() + " bytes remain");
  }

  private int checkedLength(int len, String what) throws CodecException {
    if (len < 0 || len > remaining()) throw tooLarge(what, Integer.toUnsignedLong(len), "bytes");
    return len;
  }

  private int checkedCount(int count, int minBytesEach, String what) throws CodecException {
    if (count < 0 || (long) count * minBytesEach > remaining())
      throw tooLarge(what, Integer.toUnsignedLong(count), "elements");
    return count;
  }

  /** Skips one value of any type, checking nesting and declared lengths the same way typed reads do. */
  void skip() throws CodecException, IOException {
    ValueType t = peekType();
    switch (t) {
      case ARRAY -> {
        int n = readArrayHeader();
        for (int i = 0; i < n; i++) {
          enterIndex(i);
          skip();
          leave();
        }
      }
      case MAP -> {
        int n = readMapHeader();
        for (int i = 0; i < n; i++) {
          // Keys of skipped maps may be any value, so they are addressed by position.
          enterIndex(i);
          skip();
          skip();
          leave();
        }
      }
      case STRING -> readPayloadBounded(stringHeader(), "string");
      case BINARY -> readPayloadBounded(binHeader(), "bin");
      case EXTENSION -> readPayloadBounded(extHeader(), "ext");
      default -> in.skipValue(); // nil, bool, integer, float: fixed size, no allocation
    }
  }

  private void readPayloadBounded(int len, String what) throws CodecException, IOException {
    // A reference into the input: skipping copies nothing.
    in.readPayloadAsReference(checkedLength(len, what));
  }
}
