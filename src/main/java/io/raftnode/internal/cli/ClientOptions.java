package io.raftnode.internal.cli;

import io.raftnode.HostAndPort;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where a client command connects, how long it waits, and its TLS settings: {@code --tls} verifies the node's
 * certificate against {@code --ca} (the system's trusted CAs without it) and presents {@code --cert}/{@code --key}
 * when the node requires client certificates.
 */
record ClientOptions(HostAndPort server, long timeoutMs, Tls tls) {
  static final String DEFAULT_SERVER = "127.0.0.1:7201";
  static final long DEFAULT_TIMEOUT_MS = 5000;

  /** TLS settings of a client command; {@code ca}, {@code cert} and {@code key} may be null. */
  record Tls(Path ca, Path cert, Path key) {}

  static ClientOptions from(ClientFlags flags) throws Usage.Error {
    HostAndPort server;
    try {
      server = HostAndPort.parse(flags.server);
    } catch (IllegalArgumentException e) {
      throw new Usage.Error("bad --server: " + e.getMessage());
    }
    String timeout = flags.timeoutMs;
    long timeoutMs;
    try {
      timeoutMs = Long.parseLong(timeout);
    } catch (NumberFormatException e) {
      throw new Usage.Error("bad --timeout-ms: not a number: " + timeout);
    }
    if (timeoutMs < 1) throw new Usage.Error("bad --timeout-ms: must be 1 or more, got " + timeoutMs);
    return new ClientOptions(server, timeoutMs, tls(flags));
  }

  /** The same options aimed at another node, as a command that asks every member uses. */
  ClientOptions at(HostAndPort other) {
    return new ClientOptions(other, timeoutMs, tls);
  }

  private static Tls tls(ClientFlags flags) throws Usage.Error {
    Path ca = file(flags.ca, "--ca");
    Path cert = file(flags.cert, "--cert");
    Path key = file(flags.key, "--key");
    if (!flags.tls) {
      if (ca != null || cert != null || key != null) throw new Usage.Error("--ca, --cert and --key need --tls");
      return null;
    }
    if ((cert == null) != (key == null)) throw new Usage.Error("--cert and --key go together");
    return new Tls(ca, cert, key);
  }

  private static Path file(String text, String name) throws Usage.Error {
    if (text == null) return null;
    try {
      Path path = Path.of(text);
      if (!Files.isReadable(path)) throw new Usage.Error("bad " + name + ": cannot read " + text);
      return path;
    } catch (InvalidPathException e) {
      throw new Usage.Error("bad " + name + ": not a valid path: " + text);
    }
  }
}
