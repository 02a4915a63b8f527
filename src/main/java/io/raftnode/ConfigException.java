package io.raftnode;

import java.nio.file.Path;

/**
 * A node configuration that cannot be used. The message names the file (when there is one) and the key, so an
 * operator can fix the config without reading code: {@code conf/node1.json: "raft.heartbeat_interval_ms" must be ...}.
 */
public class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final String key;
  private final String problem;

  /** A problem with {@code key} (a dotted path such as "raft.heartbeat_interval_ms"; null for the whole file). */
  public ConfigException(String key, String problem) {
    this(null, key, problem, null);
  }

  public ConfigException(Path file, String key, String problem, Throwable cause) {
    super(format(file, problem), cause);
    this.file = file;
    this.key = key;
    this.problem = problem;
  }

  /** The same problem, reported against {@code file}. */
  public ConfigException inFile(Path file) {
    return new ConfigException(file, key, problem, getCause());
  }

  /** The config file, or null when the config did not come from a file. */
  public Path file() {
    return file;
  }

  /** The dotted key the problem is about, or null when it is about the whole file. */
  public String key() {
    return key;
  }

  /** The problem without the file name. */
  public String problem() {
    return problem;
  }

  private static String format(Path file, String problem) {
    return file == null ? problem : file + ": " + problem;
  }
}
