package io.raftnode.statemachine;

import io.raftnode.codec.ReusablePacker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
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
      int idFields = command.requestId() == null ? 0 : 2;
      if (command instanceof KvCommand.Put put) {
        p.packMapHeader(3 + idFields);
        op(p, "put");
        bin(p, "key", put.key());
        bin(p, "value", put.value());
      } else if (command instanceof KvCommand.Delete delete) {
        p.packMapHeader(2 + idFields);
        op(p, "delete");
        bin(p, "key", delete.key());
      } else if (command instanceof KvCommand.CompareAndSwap cas) {
        p.packMapHeader(5 + idFields);
        op(p, "cas");
        bin(p, "key", cas.key());
        p.packString("expect_present").packBoolean(cas.expectPresent());
        bin(p, "expected", cas.expected() == null ? new byte[0] : cas.expected());
        bin(p, "new_value", cas.newValue());
      } else {
        p.packMapHeader(2);
        op(p, "get");
        bin(p, "key", command.key());
      }
      if (command.requestId() != null) {
        p.packString("client_id").packString(command.requestId().clientId());
        p.packString("sequence").packLong(command.requestId().sequence());
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
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
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
          default -> u.skipValue();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed key-value command: " + e.getMessage(), e);
    }
    if (op == null || key == null) throw new IllegalArgumentException("key-value command lacks op or key");
    RequestId id = clientId == null ? null : new RequestId(clientId, sequence);
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
      p.packString("revision").packLong(result.revision());
      p.packString("found").packBoolean(result.found());
      p.packString("present").packBoolean(result.present());
      if (result.value() != null) bin(p, "value", result.value());
      if (result.error() != null) p.packString("error").packString(result.error());
    });
  }

  public static KvResult decodeResult(byte[] bytes) {
    long revision = 0;
    boolean found = false;
    boolean present = false;
    byte[] value = null;
    String error = null;
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
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

  private static void op(MessagePacker p, String op) throws IOException {
    p.packString("op").packString(op);
  }

  private static void bin(MessagePacker p, String name, byte[] bytes) throws IOException {
    p.packString(name).packBinaryHeader(bytes.length).writePayload(bytes);
  }

  /**
   * Reads a string without the unpacker's CharsetDecoder, whose first use allocates a large buffer per unpacker:
   * with one unpacker per command that cost more than the rest of decoding.
   */
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
      "cas", "get", "new_value", "expected", "expect_present", "client_id", "sequence", "error"};
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
