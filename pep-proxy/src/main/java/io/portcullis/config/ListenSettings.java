package io.portcullis.config;

import java.util.List;

/**
 * Where and how the gateway accepts clients.
 *
 * @param postgres {@code host:port} of the PostgreSQL listener
 * @param allowCleartextOnLoopback accept a token sent in cleartext (no TLS) from a loopback client
 * @param tls the server certificate for client connections, or null for no TLS
 * @param ssh {@code host:port} of the SSH listener, or null for none
 */
public record ListenSettings(String postgres, boolean allowCleartextOnLoopback, TlsSettings tls, String ssh) {

  /** Settings without an SSH listener. */
  public ListenSettings(String postgres, boolean allowCleartextOnLoopback, TlsSettings tls) {
    this(postgres, allowCleartextOnLoopback, tls, null);
  }

  /** The SSH listen address, or null when there is no SSH listener. */
  public HostPort sshAddress() {
    return ssh == null ? null : HostPort.parse("listen.ssh", ssh);
  }

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
    try {
      sshAddress();
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
    }
    if (tls != null) {
      tls.validate("listen.tls", errors);
    }
  }
}
