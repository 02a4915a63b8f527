package io.raftnode.internal.cli;

import picocli.CommandLine.Option;

/** The options every client command takes: where to connect, the deadline, and TLS ({@link ClientOptions}). */
final class ClientFlags {
  @Option(names = "--server", paramLabel = "HOST:PORT", defaultValue = ClientOptions.DEFAULT_SERVER,
      description = "the node's client address (default: ${DEFAULT-VALUE})")
  String server;

  @Option(names = "--timeout-ms", paramLabel = "N", defaultValue = "" + ClientOptions.DEFAULT_TIMEOUT_MS,
      description = "deadline for the call in milliseconds (default: ${DEFAULT-VALUE})")
  String timeoutMs;

  @Option(names = "--tls", description = "connect with TLS (the node's client_tls.enabled)")
  boolean tls;

  @Option(names = "--ca", paramLabel = "FILE",
      description = "PEM CA to verify the node's certificate (default: the system's CAs)")
  String ca;

  @Option(names = "--cert", paramLabel = "FILE", description = "client certificate (client_tls.require_client_cert)")
  String cert;

  @Option(names = "--key", paramLabel = "FILE", description = "the client certificate's private key")
  String key;

  ClientOptions options() throws Usage.Error {
    return ClientOptions.from(this);
  }
}
