package io.raftnode.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.OpenSsl;
import org.junit.jupiter.api.Test;

/** TLS runs on netty-tcnative's BoringSSL, and a node that cannot have it says so instead of falling back. */
class TlsEngineTest {

  @Test
  void theOpenSslEngineIsBoringSsl() {
    assertTrue(TlsEngine.available(), "netty-tcnative-boringssl-static loads: " + OpenSsl.unavailabilityCause());
    assertEquals("BoringSSL", OpenSsl.versionString());
    assertEquals("OpenSSL (BoringSSL)", TlsEngine.describe());
  }

  @Test
  void withoutTheEngineStartFailsNamingTheKeyAndTheMissingLibrary() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TlsEngine.requireAvailable(false, "tls.enabled", new UnsatisfiedLinkError("no netty_tcnative")));
    assertTrue(e.getMessage().startsWith("tls.enabled is true but the OpenSSL (BoringSSL) TLS engine is not available"),
        e.getMessage());
    assertTrue(e.getMessage().contains("no netty_tcnative"), e.getMessage());
    assertTrue(e.getMessage().contains("does not fall back"), e.getMessage());
  }
}
