package io.raftnode.internal.codec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of seeded mutants of every golden vector of docs/PROTOCOL.md, decoded as every wire type: a decoder
 * either returns a value that encodes and decodes again, or throws CodecException. Nothing else, ever.
 */
@Timeout(60)
class CodecFuzzTest {
  private static final long SEED = 0x5eed_2026L;
  private static final int MUTANTS_PER_VECTOR = 3000;

  @Test
  void mutantsOfEveryGoldenVectorDecodeOrFailWithCodecExceptionOnly() throws Exception {
    List<Mutants.Golden> goldens = Mutants.goldens();
    assertFalse(goldens.isEmpty(), "docs/PROTOCOL.md has golden vectors");
    Random random = new Random(SEED);
    int decoded = 0;
    int refused = 0;
    for (Mutants.Golden golden : goldens) {
      for (int i = 0; i < MUTANTS_PER_VECTOR; i++) {
        byte[] mutant = Mutants.mutate(golden.bytes(), goldens, random);
        // The mutant's own type is the likeliest to get deep; the others catch confusion between types.
        for (String type : List.of(golden.type(), otherType(golden.type(), i))) {
          if (decodeChecked(type, mutant)) decoded++; else refused++;
        }
      }
    }
    assertFalse(refused == 0 || decoded == 0, "mutants both decode and fail (decoded " + decoded + ", refused " + refused + ")");
  }

  @Test
  void emptyAndTinyInputsAreRefusedByEveryDecoder() {
    byte[][] inputs = {{}, {(byte) 0xc1}, {(byte) 0xc0}, {(byte) 0xdf, -1, -1, -1, -1}, {(byte) 0xdd, 0x7f, -1, -1, -1},
        {(byte) 0xcf, -1, -1, -1, -1, -1, -1, -1, -1}};
    for (String type : WireTypes.DECODERS.keySet()) {
      for (byte[] input : inputs) decodeChecked(type, input);
    }
  }

  /** True when {@code bytes} decoded (and the value survived a round trip), false on CodecException. */
  private static boolean decodeChecked(String type, byte[] bytes) {
    Object value;
    try {
      value = WireTypes.DECODERS.get(type).decode(bytes);
    } catch (CodecException e) {
      assertNotNull(e.getMessage(), "a refusal says why");
      return false;
    } catch (Throwable t) {
      throw new AssertionError(type + " decoder threw " + t + " on " + HexFormat.of().formatHex(bytes), t);
    }
    try {
      byte[] again = WireTypes.ENCODERS.get(type).encode(value);
      WireTypes.DECODERS.get(type).decode(again);
    } catch (Throwable t) {
      fail(type + " value " + value + " decoded from " + HexFormat.of().formatHex(bytes) + " does not round-trip: " + t);
    }
    return true;
  }

  private static final List<String> TYPES = List.copyOf(new java.util.TreeSet<>(WireTypes.DECODERS.keySet()));

  private static String otherType(String type, int i) {
    String other = TYPES.get(i % TYPES.size());
    return other.equals(type) ? TYPES.get((i + 1) % TYPES.size()) : other;
  }
}
