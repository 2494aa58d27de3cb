package io.portcullis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The checks of an {@code http} or {@code kubernetes} target's settings. */
final class HttpTargetChecks {

  private HttpTargetChecks() {}

  static void validate(TargetSettings t, String prefix, List<String> errors) {
    try {
      HostPort.parse(prefix + ".listen", t.listen());
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
    }
    if (t.url() == null || t.url().isBlank()) {
      errors.add(prefix + ".url: missing (expected: http://host:port or https://host:port)");
    } else {
      try {
        URI uri = new URI(t.url());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          errors.add(prefix + ".url: " + t.url() + " (expected: http://host:port or https://host:port)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
          errors.add(prefix + ".url: " + t.url() + " (expected: no query or fragment)");
        }
      } catch (URISyntaxException e) {
        errors.add(prefix + ".url: " + t.url() + " (expected: a URL: " + e.getReason() + ")");
      }
    }
    if (t.tls() != null) {
      t.tls().validate(prefix + ".tls", errors);
    }
    readable(prefix + ".ca_file", t.caFile(), errors);
    readable(prefix + ".bearer_token_file", t.bearerTokenFile(), errors);
    readable(prefix + ".client_cert_file", t.clientCertFile(), errors);
    readable(prefix + ".client_key_file", t.clientKeyFile(), errors);
    if (t.bearerTokenEnv() != null && t.bearerTokenFile() != null) {
      errors.add(prefix + ": set at most one of bearer_token_env and bearer_token_file");
    }
    if ((t.clientCertFile() == null) != (t.clientKeyFile() == null)) {
      errors.add(prefix + ": set both client_cert_file and client_key_file, or neither");
    }
  }

  private static void readable(String setting, String file, List<String> errors) {
    if (file != null && !Files.isReadable(Path.of(file))) {
      errors.add(setting + ": " + file + " (expected: a readable file)");
    }
  }
}
