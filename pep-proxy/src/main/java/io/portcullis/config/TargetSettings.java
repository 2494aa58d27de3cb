package io.portcullis.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A server behind the gateway, and the gateway's own credentials for it. Clients name the target
 * as their database; they never see these credentials.
 *
 * @param name what clients ask for (the PostgreSQL {@code dbname})
 * @param protocol {@code postgres} or {@code ssh}
 * @param host the target's host
 * @param port the target's port
 * @param database the database on the target (postgres only)
 * @param user the gateway's user on the target
 * @param passwordEnv environment variable holding the password
 * @param passwordFile file holding the password (trailing newline ignored)
 * @param sslMode TLS to the target, as libpq's sslmode: {@code disable} (default),
 *     {@code require} (encrypted, server not verified) or {@code verify-full} (encrypted, server
 *     certificate checked against {@code sslRootCert} and the host name)
 * @param sslRootCert PEM file of the CA that signs the target's certificate, for verify-full
 * @param listen for {@code http} and {@code kubernetes}: the {@code host:port} of this target's
 *     own gateway listener
 * @param url for {@code http} and {@code kubernetes}: the upstream base URL, {@code http://} or
 *     {@code https://}
 * @param tls for {@code http} and {@code kubernetes}: the certificate clients see; defaults to
 *     {@code listen.tls}; without either, the listener must be on loopback (plain HTTP/1.1)
 * @param caFile PEM file of the CA that signs the upstream's certificate (https); the JDK's
 *     trust store when null
 * @param bearerTokenEnv environment variable holding the bearer token the gateway presents upstream
 * @param bearerTokenFile file holding that token (re-read when it changes; trailing newline ignored)
 * @param clientCertFile PEM client certificate the gateway presents upstream (https), or null
 * @param clientKeyFile PEM (PKCS#8) key of {@code clientCertFile}
 * @param keyFile ssh: the private key the gateway logs in to the target with (or a password)
 * @param knownHostsFile ssh: the known_hosts file that pins the target's host key (required)
 */
public record TargetSettings(
    String name,
    String protocol,
    String host,
    Integer port,
    String database,
    String user,
    String passwordEnv,
    String passwordFile,
    String sslMode,
    String sslRootCert,
    String listen,
    String url,
    TlsSettings tls,
    String caFile,
    String bearerTokenEnv,
    String bearerTokenFile,
    String clientCertFile,
    String clientKeyFile,
    String keyFile,
    String knownHostsFile) {

  public TargetSettings {
    sslMode = sslMode == null ? "disable" : sslMode;
  }

  /** An SSH target: the gateway logs in as {@code user} with a key or a password. */
  public static TargetSettings ssh(String name, String host, int port, String user, String keyFile,
      String passwordEnv, String passwordFile, String knownHostsFile) {
    return new TargetSettings(name, "ssh", host, port, null, user, passwordEnv, passwordFile, null, null,
        null, null, null, null, null, null, null, null, keyFile, knownHostsFile);
  }

  /** Settings without TLS to the target (tests and simple setups). */
  public TargetSettings(String name, String protocol, String host, Integer port, String database,
      String user, String passwordEnv, String passwordFile) {
    this(name, protocol, host, port, database, user, passwordEnv, passwordFile, null, null);
  }

  /** PostgreSQL settings with TLS to the target as libpq's sslmode. */
  public TargetSettings(String name, String protocol, String host, Integer port, String database,
      String user, String passwordEnv, String passwordFile, String sslMode, String sslRootCert) {
    this(name, protocol, host, port, database, user, passwordEnv, passwordFile, sslMode, sslRootCert,
        null, null, null, null, null, null, null, null, null, null);
  }

  /** An {@code http} or {@code kubernetes} target: its listener, upstream URL and credentials. */
  public static TargetSettings http(String name, String protocol, String listen, String url,
      TlsSettings tls, String caFile, String bearerTokenEnv, String bearerTokenFile) {
    return new TargetSettings(name, protocol, null, null, null, null, null, null, null, null, listen,
        url, tls, caFile, bearerTokenEnv, bearerTokenFile, null, null, null, null);
  }

  /** The {@code listen} address of an {@code http} or {@code kubernetes} target. */
  public HostPort listenAddress() {
    return HostPort.parse("targets." + name + ".listen", listen);
  }

  /**
   * Reads the bearer token the gateway presents to an {@code http} or {@code kubernetes}
   * upstream, or null when none is configured.
   *
   * @throws IllegalStateException when the configured source is missing
   */
  public String bearerToken(Map<String, String> env) {
    if (bearerTokenEnv != null) {
      String value = env.get(bearerTokenEnv);
      if (value == null) {
        throw new IllegalStateException(
            "target " + name + ": environment variable " + bearerTokenEnv + " is not set");
      }
      return value.strip();
    }
    if (bearerTokenFile != null) {
      try {
        return Files.readString(Path.of(bearerTokenFile), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalStateException("target " + name + ": cannot read bearer_token_file "
            + bearerTokenFile + ": " + e.getMessage(), e);
      }
    }
    return null;
  }

  /** The target's address. */
  public HostPort address() {
    return new HostPort(host, port);
  }

  /**
   * Reads the gateway's password for this target, or null when none is configured (trust).
   *
   * @throws IllegalStateException when the configured source is missing
   */
  public String password(Map<String, String> env) {
    if (passwordEnv != null) {
      String value = env.get(passwordEnv);
      if (value == null) {
        throw new IllegalStateException(
            "target " + name + ": environment variable " + passwordEnv + " is not set");
      }
      return value;
    }
    if (passwordFile != null) {
      try {
        return Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalStateException(
            "target " + name + ": cannot read password_file " + passwordFile + ": " + e.getMessage(), e);
      }
    }
    return null;
  }

  void validate(String prefix, List<String> errors) {
    if (name == null || name.isBlank()) {
      errors.add(prefix + ".name: missing");
    }
    switch (protocol == null ? "" : protocol) {
      case "postgres" -> {
        validateEndpoint(prefix, errors);
        validatePostgres(prefix, errors);
      }
      case "http", "kubernetes" -> HttpTargetChecks.validate(this, prefix, errors);
      case "ssh" -> {
        validateEndpoint(prefix, errors);
        validateSsh(prefix, errors);
      }
      default -> errors.add(prefix + ".protocol: " + protocol
          + " (expected: postgres, ssh, http or kubernetes)");
    }
  }

  /** Host, port and the gateway's account: postgres and ssh targets. */
  private void validateEndpoint(String prefix, List<String> errors) {
    if (host == null || host.isBlank()) {
      errors.add(prefix + ".host: missing");
    }
    if (port == null || port < 1 || port > 65535) {
      errors.add(prefix + ".port: " + port + " (expected: 1..65535)");
    }
    if (user == null || user.isBlank()) {
      errors.add(prefix + ".user: missing");
    }
    if (passwordEnv != null && passwordFile != null) {
      errors.add(prefix + ": set at most one of password_env and password_file");
    }
  }

  private void validateSsh(String prefix, List<String> errors) {
    int credentials = (keyFile != null ? 1 : 0) + (passwordEnv != null ? 1 : 0) + (passwordFile != null ? 1 : 0);
    if (credentials != 1) {
      errors.add(prefix + ": set exactly one of key_file, password_env and password_file (expected: the"
          + " gateway's own credential for the target)");
    }
    if (keyFile != null && !Files.isReadable(Path.of(keyFile))) {
      errors.add(prefix + ".key_file: " + keyFile + " (expected: a readable private key file)");
    }
    if (knownHostsFile == null || !Files.isReadable(Path.of(knownHostsFile))) {
      errors.add(prefix + ".known_hosts_file: " + knownHostsFile
          + " (expected: a readable known_hosts file pinning the target's host key)");
    }
    if (database != null) {
      errors.add(prefix + ".database: " + database + " (expected: none for an ssh target)");
    }
  }

  private void validatePostgres(String prefix, List<String> errors) {
    if (database == null || database.isBlank()) {
      errors.add(prefix + ".database: missing");
    }
    if (!java.util.Set.of("disable", "require", "verify-full").contains(sslMode)) {
      errors.add(prefix + ".ssl_mode: " + sslMode + " (expected: disable, require or verify-full)");
    }
    if ("verify-full".equals(sslMode) && (sslRootCert == null || !Files.isReadable(Path.of(sslRootCert)))) {
      errors.add(prefix + ".ssl_root_cert: " + sslRootCert + " (expected: a readable PEM file for verify-full)");
    }
  }
}
