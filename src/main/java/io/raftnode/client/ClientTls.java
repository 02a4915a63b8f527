package io.raftnode.client;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS to the nodes' client ports: the CA that signed the nodes' certificates and, for nodes that require client
 * certificates ({@code client_tls.require_client_cert}), the client's own certificate and PKCS#8 key, all PEM files.
 * The node's certificate must name the host the client dials.
 *
 * @param ca   the CA certificate(s); null trusts the JVM's default CAs
 * @param cert the client certificate, or null for none (then {@code key} is null too)
 * @param key  the client certificate's private key, or null
 */
public record ClientTls(Path ca, Path cert, Path key) {
  /**
   * Checks that the certificate and key come together.
   *
   * @param ca   the CA certificate(s); null trusts the JVM's default CAs
   * @param cert the client certificate, or null
   * @param key  its private key, or null
   */
  public ClientTls {
    if ((cert == null) != (key == null)) throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
  }

  /**
   * TLS that checks the nodes' certificates against a CA, presenting no client certificate.
   *
   * @param ca the CA certificate(s), PEM
   * @return the TLS settings
   */
  public static ClientTls trusting(Path ca) {
    return new ClientTls(Objects.requireNonNull(ca, "ca"), null, null);
  }

  /**
   * This TLS, presenting a client certificate to nodes that ask for one.
   *
   * @param cert the client certificate, PEM
   * @param key  its PKCS#8 private key, PEM
   * @return new TLS settings
   */
  public ClientTls withClientCertificate(Path cert, Path key) {
    return new ClientTls(ca, Objects.requireNonNull(cert, "cert"), Objects.requireNonNull(key, "key"));
  }
}
