package io.raftnode.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/PROTOCOL.md lists golden vectors as lines "golden: Type hex"; they must match the codec and the tests. */
class ProtocolDocTest {
  private static final Pattern GOLDEN = Pattern.compile("(?m)^golden: (\\w+) ([0-9a-f]+)$");

  private static List<String[]> docVectors() throws Exception {
    String doc = Files.readString(Path.of("docs/PROTOCOL.md"));
    List<String[]> out = new ArrayList<>();
    Matcher m = GOLDEN.matcher(doc);
    while (m.find()) out.add(new String[] {m.group(1), m.group(2)});
    return out;
  }

  @Test
  void everyDocumentedVectorDecodesAndReencodesToTheSameBytes() throws Exception {
    for (String[] v : docVectors()) {
      WireTypes.Decoder decoder = WireTypes.DECODERS.get(v[0]);
      assertNotNull(decoder, "unknown type in docs/PROTOCOL.md: " + v[0]);
      Object value = decoder.decode(Msgpack.hex(v[1]));
      assertEquals(v[1], Msgpack.hex(WireTypes.ENCODERS.get(v[0]).encode(value)), v[0] + " " + value);
    }
  }

  @Test
  void docListsExactlyTheTestedVectors() throws Exception {
    Set<String> doc = new LinkedHashSet<>();
    for (String[] v : docVectors()) doc.add(v[0] + " " + v[1]);
    Set<String> tested = new LinkedHashSet<>();
    for (GoldenVectors.Vector v : GoldenVectors.ALL) tested.add(v.type() + " " + v.hex());
    assertEquals(tested, doc);
  }
}
