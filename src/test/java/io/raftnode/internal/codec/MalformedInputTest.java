package io.raftnode.internal.codec;

import static io.raftnode.internal.codec.Msgpack.build;
import static io.raftnode.internal.codec.Msgpack.hex;
import static io.raftnode.internal.codec.Msgpack.voteArray;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad input of every kind must give a CodecException, never another exception or a huge allocation. */
class MalformedInputTest {
  /** Decodes as {@code type}; returns the CodecException, or null when the bytes happen to be valid. */
  private static CodecException attempt(String type, byte[] bytes) {
    try {
      WireTypes.DECODERS.get(type).decode(bytes);
      return null;
    } catch (CodecException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError(type + " decoder threw " + t + " for " + hex(bytes), t);
    }
  }

  private static String failure(String type, byte[] bytes) {
    CodecException e = attempt(type, bytes);
    if (e == null) fail(type + " accepted " + hex(bytes));
    assertTrue(e.getMessage().startsWith(type), e.getMessage());
    return e.getMessage();
  }

  @Test
  void emptyAndNullInput() {
    for (String type : WireTypes.DECODERS.keySet()) {
      assertEquals(type + ": empty input", failure(type, new byte[0]));
      assertThrows(CodecException.class, () -> WireTypes.DECODERS.get(type).decode(null));
    }
  }

  @Test
  void everyGoldenVectorTruncatedAtEveryLength() {
    for (GoldenVectors.Vector v : GoldenVectors.ALL) {
      byte[] full = hex(v.hex());
      for (int len = 0; len < full.length; len++) failure(v.type(), Arrays.copyOf(full, len));
    }
  }

  @Test
  void trailingBytes() {
    for (GoldenVectors.Vector v : GoldenVectors.ALL) {
      byte[] bytes = Arrays.copyOf(hex(v.hex()), hex(v.hex()).length + 1);
      assertTrue(failure(v.type(), bytes).contains("1 trailing byte(s) after the value"));
    }
  }

  @Test
  void randomGarbageAndMutatedVectors() {
    Random random = new Random(20261126L);
    for (String type : WireTypes.DECODERS.keySet()) {
      for (int i = 0; i < 2000; i++) {
        byte[] garbage = new byte[random.nextInt(64)];
        random.nextBytes(garbage);
        attempt(type, garbage);
      }
    }
    for (GoldenVectors.Vector v : GoldenVectors.ALL) {
      for (int i = 0; i < 500; i++) {
        byte[] bytes = hex(v.hex());
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--)
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        attempt(v.type(), bytes);
      }
    }
  }

  @Test
  void wrongTypesNameThePath() {
    assertEquals("LeaderId.term: expected unsigned integer, got string",
        failure("LeaderId", build(p -> p.packMapHeader(2).packString("term").packString("3")
            .packString("node_id").packLong(1))));
    assertEquals("Vote.committed: expected bool, got integer",
        failure("Vote", build(p -> p.packArrayHeader(2).packArrayHeader(2).packLong(1).packLong(1).packLong(1))));
    assertEquals("VoteRequest: expected map or array, got bin",
        failure("VoteRequest", build(p -> p.packBinaryHeader(1).writePayload(new byte[] {1}))));
    assertEquals("AppendEntriesRequest.entries[1].log_id: expected map or array, got string",
        failure("AppendEntriesRequest", build(p -> {
          p.packArrayHeader(3);
          voteArray(p, 3, 1, true);
          p.packNil();
          p.packArrayHeader(2);
          p.packMapHeader(2).packString("log_id").packArrayHeader(2).packArrayHeader(2).packLong(3).packLong(1)
              .packLong(42).packString("payload").packString("Blank");
          p.packMapHeader(2).packString("log_id").packString("T3-N1-43").packString("payload").packString("Blank");
        })));
    assertEquals("Entry.payload.Normal: expected bin, got string",
        failure("Entry", build(p -> p.packArrayHeader(2).packArrayHeader(2).packArrayHeader(2).packLong(1)
            .packLong(1).packLong(1).packMapHeader(1).packString("Normal").packString("text"))));
    assertEquals("LogId.leader_id: expected map or array, got nil",
        failure("LogId", build(p -> p.packArrayHeader(2).packNil().packLong(1))));
  }

  @Test
  void structAndEnumShapeErrors() {
    assertEquals("LeaderId: duplicate key \"term\"", failure("LeaderId", build(p -> p.packMapHeader(3)
        .packString("term").packLong(1).packString("term").packLong(2).packString("node_id").packLong(1))));
    assertEquals("LeaderId: missing field \"node_id\"",
        failure("LeaderId", build(p -> p.packMapHeader(1).packString("term").packLong(1))));
    assertEquals("LeaderId: expected string key, got integer",
        failure("LeaderId", build(p -> p.packMapHeader(1).packLong(0).packLong(1))));
    assertEquals("AppendEntriesResponse: unknown variant \"Maybe\"",
        failure("AppendEntriesResponse", build(p -> p.packString("Maybe"))));
    assertEquals("AppendEntriesResponse: expected a map with exactly one key (the variant), got 2 keys",
        failure("AppendEntriesResponse", build(p -> p.packMapHeader(2).packString("Success").packNil()
            .packString("Conflict").packNil())));
    assertEquals("AppendEntriesResponse: variant HigherVote carries data, expected {\"HigherVote\": ...}",
        failure("AppendEntriesResponse", build(p -> p.packString("HigherVote"))));
    assertEquals("AppendEntriesResponse.Success: unit variant Success takes no value, expected nil",
        failure("AppendEntriesResponse", build(p -> p.packMapHeader(1).packString("Success").packLong(1))));
    assertTrue(failure("Membership", build(p -> p.packArrayHeader(2).packArrayHeader(1).packArrayHeader(2)
        .packLong(1).packLong(1).packMapHeader(0))).contains("Membership.configs[0][1]: duplicate voter id 1"));
    assertTrue(failure("Membership", build(p -> p.packArrayHeader(2).packArrayHeader(0).packMapHeader(2)
        .packLong(1).packArrayHeader(1).packString("a:1").packLong(1).packArrayHeader(1).packString("b:1")))
        .contains("Membership.nodes[1]: duplicate node id 1"));
    assertTrue(failure("Vote", hex("82a96c65616465725f696482a47465726d03a76e6f64655f6964c1a9636f6d6d6974746564c3"))
        .contains("0xc1"));
    assertTrue(failure("LeaderId", hex("81a2ff" + "fe01")).contains("not valid UTF-8"));
  }

  @Test
  void integersOutOfRange() {
    assertEquals("LeaderId.term: unsigned integer 9223372036854775808 is above the supported maximum 2^63-1",
        failure("LeaderId", hex("82a47465726dcf8000000000000000a76e6f64655f696401")));
    assertTrue(failure("LogId", hex("92920101cfffffffffffffffff")).startsWith("LogId.index: unsigned integer"));
    assertEquals("LeaderId.node_id: expected unsigned integer, got negative -1",
        failure("LeaderId", hex("9203ff")));
    assertEquals("LeaderId.term: expected unsigned integer, got negative -200",
        failure("LeaderId", hex("92d1ff3801")));
    // A positive value in a signed format is still accepted.
    assertEquals(new io.raftnode.internal.model.LeaderId(3, 1), assertDoesNotThrowDecode("9203d30000000000000001"));
  }

  private static Object assertDoesNotThrowDecode(String leaderIdHex) {
    try {
      return RaftCodec.decodeLeaderId(hex(leaderIdHex));
    } catch (CodecException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void hugeDeclaredLengthsFailFastWithoutAllocating() {
    Map<String, String> cases = Map.of(
        "array32", "ddffffffff",
        "map32", "dfffffffff",
        "array32 as unknown value", "81a178ddfffffff0",
        "str32 key", "81dbfffffff0616263",
        "bin32 in unknown value", "81a178c6fffffff0",
        "ext32 in unknown value", "81a178c9fffffff00501",
        "array16 in configs", "82a7636f6e6669677391dc0fff");
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> cases.forEach((name, h) -> {
      String message = failure("Membership", hex(h));
      assertTrue(message.contains("remain"), name + ": " + message);
    }));
    String normal = failure("Entry", hex("82a66c6f675f69649292010101a77061796c6f616481a64e6f726d616cc6fffffff0"));
    assertEquals("Entry.payload.Normal: bin declares 4294967280 bytes but only 0 bytes remain", normal);
  }

  @Test
  void deepNestingIsRejected() {
    byte[] deep = new byte[200_003];
    deep[0] = (byte) 0x81; // {"x": [[[[...]]]]}
    deep[1] = (byte) 0xa1;
    deep[2] = 'x';
    Arrays.fill(deep, 3, deep.length - 1, (byte) 0x91);
    deep[deep.length - 1] = (byte) 0xc0;
    String message = failure("VoteRequest", deep);
    assertTrue(message.contains("nesting deeper than 64 levels"), message);

    byte[] deepMaps = new byte[3 * 100_000 + 1];
    for (int i = 0; i < 100_000; i++) {
      deepMaps[3 * i] = (byte) 0x81;
      deepMaps[3 * i + 1] = (byte) 0xa1;
      deepMaps[3 * i + 2] = 'k';
    }
    deepMaps[deepMaps.length - 1] = (byte) 0xc0;
    assertTrue(failure("VoteResponse", deepMaps).contains("nesting deeper than 64 levels"));
  }

  @Test
  void encodersRefuseNegativeIdsTheModelDoesNotCheck() {
    io.raftnode.internal.model.Membership m = new io.raftnode.internal.model.Membership(java.util.List.of(java.util.Set.of(-1L)),
        new java.util.TreeMap<>());
    assertThrows(IllegalArgumentException.class, () -> RaftCodec.encodeMembership(m));
  }
}
