package io.raftnode.internal.node;

import io.raftnode.HostAndPort;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * Logs why a port dropped a connection. A client refused during the TLS handshake (certificate from another CA,
 * no certificate, expired, plaintext on a TLS port) only sees "connection closed"; the reason is here.
 */
public final class ConnectionRefusals {
  private static final Logger LOG = Logger.getLogger(ConnectionRefusals.class.getName());

  private ConnectionRefusals() {}

  public static void log(String port, HostAndPort address, Throwable error) {
    Level level = isTls(error) ? Level.WARNING : Level.FINE;
    if (LOG.isLoggable(level)) LOG.log(level, port + " port " + address + " refused a connection: " + reason(error));
  }

  private static boolean isTls(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SSLException) return true; // including Netty's NotSslRecordException for plaintext
    }
    return false;
  }

  /** The innermost message: Netty wraps handshake failures in DecoderExceptions that repeat it. */
  private static String reason(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root == error ? String.valueOf(error) : error.getClass().getSimpleName() + ": " + root;
  }
}
