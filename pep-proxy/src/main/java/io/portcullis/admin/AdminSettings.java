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
 * @param metricsRequireToken whether {@code GET /metrics} needs a bearer token (any token the
 *     gateway accepts), default false: open like {@code /healthz} and {@code /readyz}, for a
 *     scraper on loopback or the pod network. Metrics carry no subjects or addresses, but do name
 *     targets and alert counts: require a token when the admin port is reachable more widely
 */
public record AdminSettings(String listen, List<String> auditors, Boolean metricsRequireToken) {

  public AdminSettings {
    auditors = auditors == null ? List.of() : List.copyOf(auditors);
    metricsRequireToken = Boolean.TRUE.equals(metricsRequireToken);
  }

  /** Settings with open metrics. */
  public AdminSettings(String listen, List<String> auditors) {
    this(listen, auditors, false);
  }

  /** No admin API. */
  public static AdminSettings off() {
    return new AdminSettings(null, null, false);
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
