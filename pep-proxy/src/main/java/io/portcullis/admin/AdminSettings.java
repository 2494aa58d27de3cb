package io.portcullis.admin;

import io.portcullis.config.HostPort;
import java.util.List;

/**
 * Settings of the admin HTTP API ({@code admin} in the gateway's YAML).
 *
 * @param listen {@code host:port} of the admin API, for example {@code 127.0.0.1:9090}; null for
 *     no admin API. Plain HTTP: keep it on loopback or behind a TLS-terminating proxy, since
 *     approvers send their tokens to it
 * @param auditors who may read the audit log through the admin API ({@code /api/v1/sessions},
 *     {@code /api/v1/audit}): {@code group:NAME} and {@code user:SUBJECT} entries. Default empty:
 *     nobody, every audit route answers 403 until someone is named here
 */
public record AdminSettings(String listen, List<String> auditors) {

  public AdminSettings {
    auditors = auditors == null ? List.of() : List.copyOf(auditors);
  }

  /** No admin API. */
  public static AdminSettings off() {
    return new AdminSettings(null, null);
  }

  /** The listen address. */
  public HostPort listenAddress() {
    return HostPort.parse("admin.listen", listen);
  }

  /** Adds one message per invalid setting to {@code errors}. */
  public void validate(List<String> errors) {
    Auditors.validate(auditors, errors);
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
