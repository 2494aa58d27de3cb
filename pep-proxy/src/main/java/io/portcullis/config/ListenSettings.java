package io.portcullis.config;

import java.util.List;

/**
 * Where and how the gateway accepts clients.
 *
 * @param postgres {@code host:port} of the PostgreSQL listener
 * @param allowCleartextOnLoopback accept a token sent in cleartext (no TLS) from a loopback client
 * @param tls the server certificate for client connections, or null for no TLS
 */
public record ListenSettings(String postgres, boolean allowCleartextOnLoopback, TlsSettings tls) {

  /** The PostgreSQL listen address. */
  public HostPort postgresAddress() {
    return HostPort.parse("listen.postgres", postgres);
  }

  void validate(List<String> errors) {
    try {
      postgresAddress();
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
    }
    if (tls != null) {
      tls.validate("listen.tls", errors);
    }
  }
}
