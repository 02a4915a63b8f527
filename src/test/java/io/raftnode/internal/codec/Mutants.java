package io.raftnode.internal.codec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded mutations of the golden vectors of docs/PROTOCOL.md, for fuzzing the codec and the live handlers. The
 * mutations are what a broken or hostile sender produces: flipped bits, changed bytes (favouring msgpack type
 * markers and length fields), inserted and deleted bytes, truncations and splices of two vectors.
 */
public final class Mutants {
  private static final Pattern GOLDEN = Pattern.compile("(?m)^golden: (\\w+) ([0-9a-f]+)$");
  /** Bytes that change a msgpack value's type or its declared length: the interesting places to corrupt. */
  private static final byte[] MARKERS = {
      (byte) 0xc0, (byte) 0xc1, (byte) 0xc2, (byte) 0xc3, (byte) 0xc4, (byte) 0xcc, (byte) 0xcd, (byte) 0xce,
      (byte) 0xcf, (byte) 0xd0, (byte) 0xd3, (byte) 0xd9, (byte) 0xdb, (byte) 0xdc, (byte) 0xdd, (byte) 0xde,
      (byte) 0xdf, (byte) 0x7f, (byte) 0x80, (byte) 0x8f, (byte) 0x90, (byte) 0x9f, (byte) 0xa0, (byte) 0xbf,
      (byte) 0xff, 0x00, 0x01};

  public record Golden(String type, byte[] bytes) {}

  private Mutants() {}

  /** The golden vectors of docs/PROTOCOL.md, in document order. */
  public static List<Golden> goldens() throws java.io.IOException {
    String doc = Files.readString(Path.of("docs/PROTOCOL.md"));
    List<Golden> out = new ArrayList<>();
    Matcher m = GOLDEN.matcher(doc);
    while (m.find()) out.add(new Golden(m.group(1), Msgpack.hex(m.group(2))));
    return out;
  }

  /** One to three mutations of {@code seed}; {@code others} supplies material for splices. */
  public static byte[] mutate(byte[] seed, List<Golden> others, Random random) {
    byte[] bytes = seed.clone();
    int rounds = 1 + random.nextInt(3);
    for (int i = 0; i < rounds; i++) bytes = mutateOnce(bytes, others, random);
    return bytes;
  }

  private static byte[] mutateOnce(byte[] bytes, List<Golden> others, Random random) {
    int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
    switch (random.nextInt(7)) {
      case 0 -> {
        if (bytes.length > 0) bytes[at] ^= (byte) (1 << random.nextInt(8));
        return bytes;
      }
      case 1 -> {
        if (bytes.length > 0) bytes[at] = MARKERS[random.nextInt(MARKERS.length)];
        return bytes;
      }
      case 2 -> {
        if (bytes.length > 0) bytes[at] = (byte) random.nextInt(256);
        return bytes;
      }
      case 3 -> {
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, at);
        out[at] = random.nextBoolean() ? MARKERS[random.nextInt(MARKERS.length)] : (byte) random.nextInt(256);
        System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
        return out;
      }
      case 4 -> {
        if (bytes.length == 0) return bytes;
        byte[] out = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
        return out;
      }
      case 5 -> {
        return Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length));
      }
      default -> {
        byte[] other = others.get(random.nextInt(others.size())).bytes();
        int from = other.length == 0 ? 0 : random.nextInt(other.length);
        int length = random.nextInt(other.length - from + 1);
        byte[] out = new byte[at + length + (bytes.length - at) / 2];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(other, from, out, at, length);
        System.arraycopy(bytes, bytes.length - (bytes.length - at) / 2, out, at + length, (bytes.length - at) / 2);
        return out;
      }
    }
  }
}
