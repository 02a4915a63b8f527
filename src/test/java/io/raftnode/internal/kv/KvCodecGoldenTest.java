package io.raftnode.internal.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The key-value commands and results as they are in the log: the golden vectors of docs/PROTOCOL.md ("Key-value
 * commands"), lines {@code kv-golden: <Type> <hex>}. The encodings are stable; new keys are optional additions.
 */
class KvCodecGoldenTest {
  private static final Pattern GOLDEN = Pattern.compile("(?m)^kv-golden: (\\w+) ([0-9a-f]+)$");

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Each vector as the value it stands for, rendered by {@link #describe} so that byte arrays compare by content. */
  private static final List<Object[]> VECTORS = List.of(
      new Object[] {new KvCommand.Put(b("k"), b("v")),
          "83a26f70a3707574a36b6579c4016ba576616c7565c40176"},
      new Object[] {new KvCommand.Put(b("k"), b("v"), new RequestId("c1", 7)),
          "85a26f70a3707574a36b6579c4016ba576616c7565c40176a9636c69656e745f6964a26331a873657175656e636507"},
      new Object[] {new KvCommand.CompareAndSwap(b("k"), true, b("v"), b("w"), new RequestId("c1", 9, 8)),
          "88a26f70a3636173a36b6579c4016bae6578706563745f70726573656e74c3a86578706563746564c40176a96e65775f76616c7565"
              + "c40177a9636c69656e745f6964a26331a873657175656e636509b066697273745f696e636f6d706c65746508"},
      new Object[] {new KvCommand.Delete(b("k"), new RequestId("c1", 10, 10)),
          "85a26f70a664656c657465a36b6579c4016ba9636c69656e745f6964a26331a873657175656e63650ab066697273745f696e636f6d"
              + "706c6574650a"},
      new Object[] {new KvCommand.Get(b("k")), "82a26f70a3676574a36b6579c4016b"},
      new Object[] {new KvResult(12, true, null, true), "83a87265766973696f6e0ca5666f756e64c3a770726573656e74c3"},
      new Object[] {new KvResult(14, false, b("v"), true),
          "84a87265766973696f6e0ea5666f756e64c2a770726573656e74c3a576616c7565c40176"});

  private static String type(Object value) {
    return value instanceof KvCommand ? "KvCommand" : "KvResult";
  }

  private static byte[] encode(Object value) {
    return value instanceof KvCommand c ? KvCodec.encode(c) : KvCodec.encode((KvResult) value);
  }

  private static String describe(Object value) {
    HexFormat hex = HexFormat.of();
    if (value instanceof KvResult r) {
      return "result " + r.revision() + " " + r.found() + " " + r.present() + " "
          + (r.value() == null ? "-" : hex.formatHex(r.value())) + " " + r.error();
    }
    KvCommand c = (KvCommand) value;
    String fields = c.getClass().getSimpleName() + " " + hex.formatHex(c.key());
    if (c instanceof KvCommand.Put p) fields += " " + hex.formatHex(p.value());
    if (c instanceof KvCommand.CompareAndSwap s) {
      fields += " " + s.expectPresent() + " " + (s.expected() == null ? "-" : hex.formatHex(s.expected())) + " "
          + hex.formatHex(s.newValue());
    }
    return fields + " " + c.requestId();
  }

  private static Object decode(String type, byte[] bytes) {
    return type.equals("KvCommand") ? KvCodec.decodeCommand(bytes) : KvCodec.decodeResult(bytes);
  }

  @Test
  void everyValueEncodesToItsVectorAndBack() {
    for (Object[] v : VECTORS) {
      assertEquals(v[1], HexFormat.of().formatHex(encode(v[0])), describe(v[0]));
      assertEquals(describe(v[0]), describe(decode(type(v[0]), HexFormat.of().parseHex((String) v[1]))));
    }
  }

  @Test
  void theDocumentListsExactlyTheseVectors() throws Exception {
    String doc = Files.readString(Path.of("docs/PROTOCOL.md"));
    List<String> documented = new ArrayList<>();
    Matcher m = GOLDEN.matcher(doc);
    while (m.find()) documented.add(m.group(1) + " " + m.group(2));
    List<String> tested = VECTORS.stream().map(v -> type(v[0]) + " " + v[1]).toList();
    assertEquals(tested, documented);
  }

  @Test
  void aCommandWithoutFirstIncompleteDecodesAsZeroAndUnknownKeysAreSkipped() {
    KvCommand old = KvCodec.decodeCommand(HexFormat.of().parseHex((String) VECTORS.get(1)[1]));
    assertEquals(new RequestId("c1", 7, 0), old.requestId());
    // A newer writer's key this version does not know: skipped, as older nodes skip first_incomplete.
    byte[] withExtra = HexFormat.of().parseHex("84a26f70a3676574a36b6579c4016ba56c61746572c3a5636f756e7401");
    assertEquals("Get 6b null", describe(KvCodec.decodeCommand(withExtra)));
  }

  @Test
  void aFirstIncompleteAboveTheSequenceIsNoCommand() {
    // put { key: "k", value: "v", client_id: "c1", sequence: 7, first_incomplete: 8 }
    byte[] bad = HexFormat.of().parseHex("86a26f70a3707574a36b6579c4016ba576616c7565c40176a9636c69656e745f6964a26331"
        + "a873657175656e636507b066697273745f696e636f6d706c65746508");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KvCodec.decodeCommand(bad));
    assertTrue(e.getMessage().startsWith("malformed key-value command"), e.getMessage());
  }
}
