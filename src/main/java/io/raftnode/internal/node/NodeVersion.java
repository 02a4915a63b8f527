package io.raftnode.internal.node;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of raftnode this code was built as, from a resource Maven fills in at build time. */
public final class NodeVersion {
  private static final String RESOURCE = "/io/raftnode/version.properties";
  private static final String VERSION = read();

  private NodeVersion() {}

  /** The project version (e.g. "0.1.0-SNAPSHOT"), or "unknown" when the classes were not built by Maven. */
  public static String current() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = NodeVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) return "unknown";
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "");
      // An unfiltered copy (classes compiled outside Maven) still holds the placeholder.
      return version.isEmpty() || version.contains("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
