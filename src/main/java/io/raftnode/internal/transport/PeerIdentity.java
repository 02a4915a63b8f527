package io.raftnode.internal.transport;

import io.vertx.core.http.HttpConnection;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.logging.Logger;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The node id a peer's TLS certificate names, and the check that a request speaks only for that node.
 *
 * <p>A node certificate names its node by exactly one subjectAltName URI {@code raftnode://node/<id>}. The URI is
 * used rather than the CN because a SAN is typed and a certificate may carry several, so the same certificate can
 * also name the host (IP and DNS SANs) that hostname verification checks. Over a plaintext connection there is no
 * identity to check; plaintext peers are for tests and development only.
 */
public final class PeerIdentity {
  private static final Logger LOG = Logger.getLogger(PeerIdentity.class.getName());
  public static final String URI_PREFIX = "raftnode://node/";
  /** subjectAltName type of a uniformResourceIdentifier (RFC 5280, GeneralName). */
  private static final int SAN_URI = 6;

  private PeerIdentity() {}

  /** The node id the certificate names, or empty when it names none, or more than one. */
  public static OptionalLong nodeIdOf(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return OptionalLong.empty();
    }
    if (names == null) return OptionalLong.empty();
    OptionalLong found = OptionalLong.empty();
    for (List<?> name : names) {
      if (!(name.get(0) instanceof Integer type) || type != SAN_URI || !(name.get(1) instanceof String uri)) continue;
      if (!uri.startsWith(URI_PREFIX)) continue;
      OptionalLong id = parseId(uri.substring(URI_PREFIX.length()));
      // Two different node ids in one certificate would let its holder speak for either: treat it as naming none.
      if (id.isEmpty() || (found.isPresent() && found.getAsLong() != id.getAsLong())) return OptionalLong.empty();
      found = id;
    }
    return found;
  }

  /** Canonical decimal 1..2^63-1 only, so "01" cannot alias node 1. */
  private static OptionalLong parseId(String text) {
    if (!text.matches("[1-9][0-9]{0,18}")) return OptionalLong.empty();
    try {
      return OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Refuses, with PERMISSION_DENIED, a request that claims to come from {@code claimedNodeId} over a TLS
   * connection whose client certificate names another node or none. Plaintext connections pass: they carry no
   * identity.
   */
  public static void check(HttpConnection connection, long claimedNodeId, String method) throws StatusException {
    if (connection == null || !connection.isSsl()) return;
    List<Certificate> chain;
    try {
      chain = connection.peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw denied(connection, method, "the connection presented no client certificate");
    }
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
      throw denied(connection, method, "the connection presented no client certificate");
    }
    OptionalLong named = nodeIdOf(leaf);
    if (named.isEmpty()) {
      throw denied(connection, method, "the client certificate names no node (expected one subjectAltName URI "
          + URI_PREFIX + "<id>)");
    }
    if (named.getAsLong() != claimedNodeId) {
      throw denied(connection, method, "the request claims to come from node " + claimedNodeId
          + " but the client certificate names node " + named.getAsLong());
    }
  }

  private static StatusException denied(HttpConnection connection, String method, String why) {
    // Logged here because the caller only sees the status; the operator needs the address to find the sender.
    LOG.warning("refused " + method + " from " + connection.remoteAddress() + ": " + why);
    return new StatusException(GrpcStatus.PERMISSION_DENIED, why);
  }
}
