package io.raftnode;

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
 * Main code uses Vert.x's public API only: its {@code impl} and {@code internal} packages change without notice
 * between 5.x releases.
 */
class NoVertxInternalsTest {
  private static final Pattern INTERNAL = Pattern.compile("io\\.vertx\\.[\\w.]*?\\.(impl|internal)\\.[\\w.]+");

  @Test
  void mainCodeImportsNoVertxImplOrInternalPackage() throws IOException {
    Path root = Path.of("src/main/java");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String name = root.relativize(file).toString().replace('\\', '/');
        Matcher uses = INTERNAL.matcher(Files.readString(file));
        while (uses.find()) found.add(name + ": " + uses.group());
      }
    }
    assertEquals(List.of(), found, "main code uses Vert.x internals");
  }

  @Test
  void theScanFindsAnInternalImport() {
    assertEquals(true, INTERNAL.matcher("import io.vertx.core.net.impl.ConnectionBase;").find());
    assertEquals(true, INTERNAL.matcher("((io.vertx.core.internal.ContextInternal) c)").find());
    assertEquals(false, INTERNAL.matcher("import io.vertx.core.http.HttpConnection;").find());
  }
}
