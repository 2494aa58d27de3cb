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
    String keyFile,
    String knownHostsFile) {

  public TargetSettings {
    sslMode = sslMode == null ? "disable" : sslMode;
  }

  /** PostgreSQL settings, with TLS to the target as configured. */
  public TargetSettings(String name, String protocol, String host, Integer port, String database,
      String user, String passwordEnv, String passwordFile, String sslMode, String sslRootCert) {
    this(name, protocol, host, port, database, user, passwordEnv, passwordFile, sslMode, sslRootCert,
        null, null);
  }

  /** An SSH target: the gateway logs in as {@code user} with a key or a password. */
  public static TargetSettings ssh(String name, String host, int port, String user, String keyFile,
      String passwordEnv, String passwordFile, String knownHostsFile) {
    return new TargetSettings(name, "ssh", host, port, null, user, passwordEnv, passwordFile, null, null,
        keyFile, knownHostsFile);
  }

  /** Settings without TLS to the target (tests and simple setups). */
  public TargetSettings(String name, String protocol, String host, Integer port, String database,
      String user, String passwordEnv, String passwordFile) {
    this(name, protocol, host, port, database, user, passwordEnv, passwordFile, null, null);
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
      case "postgres" -> validatePostgres(prefix, errors);
      case "ssh" -> validateSsh(prefix, errors);
      default -> errors.add(prefix + ".protocol: " + protocol + " (expected: postgres or ssh)");
    }
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
