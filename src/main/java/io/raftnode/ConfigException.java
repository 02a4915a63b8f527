package io.raftnode;

import java.nio.file.Path;

/**
 * A node configuration that cannot be used. The message names the file (when there is one) and the key, so an
 * operator can fix the config without reading code: {@code conf/node1.json: "raft.heartbeat_interval_ms" must be ...}.
 */
public class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The config file, null when the config did not come from one. */
  private final Path file;
  /** The dotted key, null for the whole config. */
  private final String key;
  /** What is wrong, without the file name. */
  private final String problem;

  /**
   * A problem with one key, not yet tied to a file.
   *
   * @param key     a dotted path such as "raft.heartbeat_interval_ms"; null for the whole config
   * @param problem what is wrong, naming the key as an operator writes it
   */
  public ConfigException(String key, String problem) {
    this(null, key, problem, null);
  }

  /**
   * A problem found in a file.
   *
   * @param file    the config file; null when the config did not come from a file
   * @param key     the dotted key the problem is about; null for the whole file
   * @param problem what is wrong
   * @param cause   the error that revealed it (a parse or I/O error), or null
   */
  public ConfigException(Path file, String key, String problem, Throwable cause) {
    super(format(file, problem), cause);
    this.file = file;
    this.key = key;
    this.problem = problem;
  }

  /**
   * The same problem, reported against a file.
   *
   * @param file the config file it was found in
   * @return a new exception whose message starts with the file name
   */
  public ConfigException inFile(Path file) {
    return new ConfigException(file, key, problem, getCause());
  }

  /**
   * The config file.
   *
   * @return the file, or null when the config did not come from a file
   */
  public Path file() {
    return file;
  }

  /**
   * The key the problem is about.
   *
   * @return the dotted key, or null when it is about the whole config
   */
  public String key() {
    return key;
  }

  /**
   * What is wrong.
   *
   * @return the problem, without the file name
   */
  public String problem() {
    return problem;
  }

  private static String format(Path file, String problem) {
    return file == null ? problem : file + ": " + problem;
  }
}
