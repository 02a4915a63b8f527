package io.raftnode.internal.node;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.OpenSSLEngineOptions;

/**
 * The TLS engine a node runs: OpenSSL through netty-tcnative's statically linked BoringSSL. A node with TLS on
 * refuses to start without it rather than fall back to the JDK's engine, so every node of a cluster runs the same,
 * known TLS implementation.
 */
public final class TlsEngine {
  private TlsEngine() {}

  /** True when netty-tcnative's native library loaded. */
  public static boolean available() {
    return OpenSSLEngineOptions.isAvailable() && OpenSsl.isAvailable();
  }

  /** For the log: "OpenSSL (BoringSSL)", or why it is unavailable. */
  public static String describe() {
    if (!available()) return "unavailable: " + OpenSsl.unavailabilityCause();
    return "OpenSSL (" + OpenSsl.versionString() + ")";
  }

  /** Fails, naming the config key that asked for TLS, when the OpenSSL engine cannot be used. */
  public static void require(String key) {
    requireAvailable(available(), key, available() ? null : OpenSsl.unavailabilityCause());
  }

  static void requireAvailable(boolean available, String key, Throwable cause) {
    if (available) return;
    throw new IllegalStateException(key + " is true but the OpenSSL (BoringSSL) TLS engine is not available ("
        + cause + "); raftnode needs io.netty:netty-tcnative-boringssl-static for this platform on the class path "
        + "and does not fall back to the JDK's TLS", cause);
  }
}
