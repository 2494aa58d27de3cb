package io.portcullis.admin;

import io.portcullis.config.HostPort;
import java.util.List;

/**
 * Settings of the admin HTTP API ({@code admin} in the gateway's YAML).
 *
 * @param listen {@code host:port} of the admin API, for example {@code 127.0.0.1:9090}; null for
 *     no admin API. Plain HTTP: keep it on loopback or behind a TLS-terminating proxy, since
 *     approvers send their tokens to it
 */
public record AdminSettings(String listen) {

  /** The listen address. */
  public HostPort listenAddress() {
    return HostPort.parse("admin.listen", listen);
  }

  /** Adds one message per invalid setting to {@code errors}. */
  public void validate(List<String> errors) {
    if (listen == null) {
      return;
    }
    try {
      listenAddress();
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
    }
  }
}
