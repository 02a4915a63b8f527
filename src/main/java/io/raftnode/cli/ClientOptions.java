package io.raftnode.cli;

import io.raftnode.model.HostAndPort;
import java.util.Set;

/** Where a client command connects and how long it waits. */
record ClientOptions(HostAndPort server, long timeoutMs) {
  static final Set<String> NAMES = Set.of("--server", "--timeout-ms");
  static final String DEFAULT_SERVER = "127.0.0.1:7201";
  static final long DEFAULT_TIMEOUT_MS = 5000;

  static ClientOptions from(Args args) throws Usage.Error {
    HostAndPort server;
    try {
      server = HostAndPort.parse(args.option("--server", DEFAULT_SERVER));
    } catch (IllegalArgumentException e) {
      throw new Usage.Error("bad --server: " + e.getMessage());
    }
    String timeout = args.option("--timeout-ms", Long.toString(DEFAULT_TIMEOUT_MS));
    long timeoutMs;
    try {
      timeoutMs = Long.parseLong(timeout);
    } catch (NumberFormatException e) {
      throw new Usage.Error("bad --timeout-ms: not a number: " + timeout);
    }
    if (timeoutMs < 1) throw new Usage.Error("bad --timeout-ms: must be 1 or more, got " + timeoutMs);
    return new ClientOptions(server, timeoutMs);
  }
}
