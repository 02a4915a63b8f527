package io.raftnode.internal.kv;

import io.raftnode.internal.codec.MsgpackWriter;
import io.raftnode.internal.codec.ReusablePacker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.msgpack.value.ValueType;

/**
 * msgpack encoding of {@link KvCommand} and {@link KvResult}: maps with snake_case keys, unknown keys skipped.
 * docs/PROTOCOL.md ("Key-value commands") is the schema.
 */
public final class KvCodec {
  /** One packer per thread: commands and results are encoded on every write. */
  private static final ThreadLocal<ReusablePacker> PACKER = ThreadLocal.withInitial(ReusablePacker::new);

  private KvCodec() {}

  public static byte[] encode(KvCommand command) {
    return PACKER.get().encode(p -> {
      RequestId id = command.requestId();
      // first_incomplete only when the client said it: an id without it encodes as older nodes wrote it.
      int idFields = id == null ? 0 : id.firstIncomplete() > 0 ? 3 : 2;
      if (command instanceof KvCommand.Put put) {
        p.packMapHeader(3 + idFields);
        op(p, K_PUT);
        bin(p, K_KEY, put.key());
        bin(p, K_VALUE, put.value());
      } else if (command instanceof KvCommand.Delete delete) {
        p.packMapHeader(2 + idFields);
        op(p, K_DELETE);
        bin(p, K_KEY, delete.key());
      } else if (command instanceof KvCommand.CompareAndSwap cas) {
        p.packMapHeader(5 + idFields);
        op(p, K_CAS);
        bin(p, K_KEY, cas.key());
        MsgpackWriter.writeKey(p, K_EXPECT_PRESENT);
        p.packBoolean(cas.expectPresent());
        bin(p, K_EXPECTED, cas.expected() == null ? new byte[0] : cas.expected());
        bin(p, K_NEW_VALUE, cas.newValue());
      } else {
        p.packMapHeader(2);
        op(p, K_GET);
        bin(p, K_KEY, command.key());
      }
      if (id != null) {
        MsgpackWriter.writeKey(p, K_CLIENT_ID);
        p.packString(id.clientId());
        MsgpackWriter.writeKey(p, K_SEQUENCE);
        p.packLong(id.sequence());
        if (id.firstIncomplete() > 0) {
          MsgpackWriter.writeKey(p, K_FIRST_INCOMPLETE);
          p.packLong(id.firstIncomplete());
        }
      }
    });
  }

  /** Decodes a command; throws IllegalArgumentException for bytes that are not one. */
  public static KvCommand decodeCommand(byte[] bytes) {
    String op = null;
    byte[] key = null;
    byte[] value = null;
    byte[] expected = null;
    boolean expectPresent = false;
    String clientId = null;
    long sequence = 0;
    long firstIncomplete = 0;
    try {
      MessageUnpacker u = unpacker(bytes);
      int fields = u.unpackMapHeader();
      for (int i = 0; i < fields; i++) {
        String name = str(u);
        switch (name) {
          case "op" -> op = str(u);
          case "key" -> key = readBin(u);
          case "value", "new_value" -> value = readBin(u);
          case "expected" -> expected = readBin(u);
          case "expect_present" -> expectPresent = u.unpackBoolean();
          case "client_id" -> clientId = str(u);
          case "sequence" -> sequence = u.unpackLong();
          case "first_incomplete" -> firstIncomplete = u.unpackLong();
          default -> u.skipValue();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed key-value command: " + e.getMessage(), e);
    }
    if (op == null || key == null) throw new IllegalArgumentException("key-value command lacks op or key");
    RequestId id;
    try {
      id = clientId == null ? null : new RequestId(clientId, sequence, firstIncomplete);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed key-value command: " + e.getMessage(), e);
    }
    return switch (op) {
      case "put" -> new KvCommand.Put(key, require(value, "value"), id);
      case "delete" -> new KvCommand.Delete(key, id);
      case "cas" -> new KvCommand.CompareAndSwap(key, expectPresent, expected, require(value, "new_value"), id);
      case "get" -> new KvCommand.Get(key);
      default -> throw new IllegalArgumentException("unknown key-value op \"" + op + "\"");
    };
  }

  public static byte[] encode(KvResult result) {
    return PACKER.get().encode(p -> {
      p.packMapHeader(3 + (result.value() == null ? 0 : 1) + (result.error() == null ? 0 : 1));
      MsgpackWriter.writeKey(p, K_REVISION);
      p.packLong(result.revision());
      MsgpackWriter.writeKey(p, K_FOUND);
      p.packBoolean(result.found());
      MsgpackWriter.writeKey(p, K_PRESENT);
      p.packBoolean(result.present());
      if (result.value() != null) bin(p, K_VALUE, result.value());
      if (result.error() != null) {
        MsgpackWriter.writeKey(p, K_ERROR);
        p.packString(result.error());
      }
    });
  }

  public static KvResult decodeResult(byte[] bytes) {
    long revision = 0;
    boolean found = false;
    boolean present = false;
    byte[] value = null;
    String error = null;
    try {
      MessageUnpacker u = unpacker(bytes);
      int fields = u.unpackMapHeader();
      for (int i = 0; i < fields; i++) {
        switch (str(u)) {
          case "error" -> error = str(u);
          case "revision" -> revision = u.unpackLong();
          case "found" -> found = u.unpackBoolean();
          case "present" -> present = u.unpackBoolean();
          case "value" -> value = readBin(u);
          default -> u.skipValue();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed key-value result: " + e.getMessage(), e);
    }
    return new KvResult(revision, found, value, present, error);
  }

  private static void op(MessagePacker p, byte[] op) throws IOException {
    MsgpackWriter.writeKey(p, K_OP);
    MsgpackWriter.writeKey(p, op);
  }

  private static void bin(MessagePacker p, byte[] name, byte[] bytes) throws IOException {
    MsgpackWriter.writeKey(p, name);
    p.packBinaryHeader(bytes.length).writePayload(bytes);
  }

  // Field names and ops, msgpack-encoded once: encoding them per command was most of the encoder's allocation.
  private static final byte[] K_OP = MsgpackWriter.key("op");
  private static final byte[] K_KEY = MsgpackWriter.key("key");
  private static final byte[] K_VALUE = MsgpackWriter.key("value");
  private static final byte[] K_EXPECT_PRESENT = MsgpackWriter.key("expect_present");
  private static final byte[] K_EXPECTED = MsgpackWriter.key("expected");
  private static final byte[] K_NEW_VALUE = MsgpackWriter.key("new_value");
  private static final byte[] K_CLIENT_ID = MsgpackWriter.key("client_id");
  private static final byte[] K_SEQUENCE = MsgpackWriter.key("sequence");
  private static final byte[] K_FIRST_INCOMPLETE = MsgpackWriter.key("first_incomplete");
  private static final byte[] K_REVISION = MsgpackWriter.key("revision");
  private static final byte[] K_FOUND = MsgpackWriter.key("found");
  private static final byte[] K_PRESENT = MsgpackWriter.key("present");
  private static final byte[] K_ERROR = MsgpackWriter.key("error");
  private static final byte[] K_PUT = MsgpackWriter.key("put");
  private static final byte[] K_DELETE = MsgpackWriter.key("delete");
  private static final byte[] K_CAS = MsgpackWriter.key("cas");
  private static final byte[] K_GET = MsgpackWriter.key("get");

  /**
   * Reads a string without the unpacker's CharsetDecoder, whose first use allocates a large buffer per unpacker:
   * with one unpacker per command that cost more than the rest of decoding.
   */
  /** One unpacker and input per thread, pointed at each command or result in turn (decoders never nest). */
  private static final ThreadLocal<ArrayBufferInput> INPUT = ThreadLocal.withInitial(() -> new ArrayBufferInput(new byte[0]));
  private static final ThreadLocal<MessageUnpacker> UNPACKER =
      ThreadLocal.withInitial(() -> MessagePack.newDefaultUnpacker(new byte[0]));

  private static MessageUnpacker unpacker(byte[] bytes) throws IOException {
    ArrayBufferInput input = INPUT.get();
    input.reset(bytes);
    MessageUnpacker u = UNPACKER.get();
    u.reset(input);
    return u;
  }

  private static String str(MessageUnpacker u) throws IOException {
    int len = u.unpackRawStringHeader();
    if (len > KNOWN_MAX_LENGTH) return new String(u.readPayload(len), StandardCharsets.UTF_8);
    byte[] scratch = SCRATCH.get();
    u.readPayload(scratch, 0, len);
    // Field names and ops are a handful of constants: hand back the constant instead of a new String each time.
    for (String known : KNOWN) if (asciiEquals(known, scratch, len)) return known;
    return new String(scratch, 0, len, StandardCharsets.UTF_8);
  }

  private static final String[] KNOWN = {"op", "key", "value", "put", "revision", "found", "present", "delete",
      "cas", "get", "new_value", "expected", "expect_present", "client_id", "sequence", "first_incomplete", "error"};
  private static final int KNOWN_MAX_LENGTH = 16;
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[KNOWN_MAX_LENGTH]);

  private static boolean asciiEquals(String known, byte[] raw, int len) {
    if (known.length() != len) return false;
    for (int i = 0; i < len; i++) if (known.charAt(i) != raw[i]) return false;
    return true;
  }

  private static byte[] readBin(MessageUnpacker u) throws IOException {
    if (u.getNextFormat().getValueType() != ValueType.BINARY) throw new IOException("expected bin");
    return u.readPayload(u.unpackBinaryHeader());
  }

  private static byte[] require(byte[] value, String name) {
    if (value == null) throw new IllegalArgumentException("key-value command lacks " + name);
    return value;
  }
}
