package io.raftnode.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class GoldenVectorTest {
  @TestFactory
  Stream<DynamicTest> encodesToTheGoldenBytes() {
    return GoldenVectors.ALL.stream().map(v -> DynamicTest.dynamicTest(v.type() + " " + v.value(), () ->
        assertEquals(v.hex(), Msgpack.hex(WireTypes.ENCODERS.get(v.type()).encode(v.value())))));
  }

  @TestFactory
  Stream<DynamicTest> decodesTheGoldenBytes() {
    return GoldenVectors.ALL.stream().map(v -> DynamicTest.dynamicTest(v.type() + " " + v.value(), () ->
        assertEquals(v.value(), WireTypes.DECODERS.get(v.type()).decode(Msgpack.hex(v.hex())))));
  }

  @Test
  void everyTypeHasAVector() {
    Set<String> covered = GoldenVectors.ALL.stream().map(GoldenVectors.Vector::type).collect(Collectors.toSet());
    assertEquals(WireTypes.DECODERS.keySet(), covered);
  }

  @Test
  void everyResponseAndPayloadVariantHasAVector() {
    Set<String> kinds = GoldenVectors.ALL.stream()
        .map(v -> v.value() instanceof io.raftnode.internal.model.Entry e ? e.payload().getClass().getSimpleName()
            : v.value().getClass().getSimpleName())
        .collect(Collectors.toSet());
    assertTrue(kinds.containsAll(Set.of("Blank", "Normal", "MembershipChange",
        "Success", "PartialSuccess", "Conflict", "HigherVote")), kinds.toString());
  }

  @Test
  void nonAsciiStringsRoundTrip() throws Exception {
    io.raftnode.internal.model.Membership m = io.raftnode.internal.model.Membership.ofVoters(
        java.util.Map.of(7L, new io.raftnode.internal.model.Node("höst-é:7001", "節点:8001")));
    assertEquals(m, RaftCodec.decodeMembership(RaftCodec.encodeMembership(m)));
  }
}
