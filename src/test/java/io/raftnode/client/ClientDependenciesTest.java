package io.raftnode.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The client depends on the generated protos, protobuf and Vert.x's gRPC client only, never on the server's
 * packages, so it can ship in a jar of its own (the {@code client} classifier).
 */
class ClientDependenciesTest {
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  private static final List<String> ALLOWED = List.of("java.", "io.raftnode.client.", "io.raftnode.proto.",
      "com.google.protobuf.", "io.vertx.core.", "io.vertx.grpc.client.", "io.vertx.grpc.common.");

  @Test
  void theClientImportsNothingOfTheServer() throws IOException {
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/raftnode/client"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String name = m.group(2);
          if (ALLOWED.stream().noneMatch(name::startsWith)) wrong.add(file.getFileName() + ": " + name);
        }
        // Fully qualified names in the code count too.
        Matcher qualified = Pattern.compile("io\\.raftnode\\.(\\w+)\\.").matcher(Files.readString(file));
        while (qualified.find()) {
          String pkg = qualified.group(1);
          if (!pkg.equals("client") && !pkg.equals("proto")) wrong.add(file.getFileName() + ": io.raftnode." + pkg);
        }
      }
    }
    assertEquals(List.of(), wrong);
  }
}
