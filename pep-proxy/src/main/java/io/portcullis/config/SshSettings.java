package io.portcullis.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The SSH listener's settings (the {@code ssh:} block); the listener itself is on when
 * {@code listen.ssh} is set.
 *
 * @param hostKeyFile the gateway's host key, generated once (mode 0600) and reused; default
 *     {@code <data_dir>/ssh-host-key}
 * @param authTimeoutS seconds a client has from connecting to being authenticated, default 30
 * @param idleTimeoutS seconds a connection may be idle before it is closed, default 900
 * @param maxUnauthenticated connections not yet authenticated at any one time, default 32; more
 *     are refused at once
 */
public record SshSettings(String hostKeyFile, Integer authTimeoutS, Integer idleTimeoutS,
    Integer maxUnauthenticated) {

  public SshSettings {
    authTimeoutS = authTimeoutS == null ? 30 : authTimeoutS;
    idleTimeoutS = idleTimeoutS == null ? 900 : idleTimeoutS;
    maxUnauthenticated = maxUnauthenticated == null ? 32 : maxUnauthenticated;
  }

  /** All defaults. */
  public static SshSettings defaults() {
    return new SshSettings(null, null, null, null);
  }

  /** Where the host key lives. */
  public Path hostKey(String dataDir) {
    return hostKeyFile != null ? Path.of(hostKeyFile) : Path.of(dataDir, "ssh-host-key");
  }

  void validate(List<String> errors) {
    range(errors, "ssh.auth_timeout_s", authTimeoutS, 1, 600);
    range(errors, "ssh.idle_timeout_s", idleTimeoutS, 1, 86_400);
    range(errors, "ssh.max_unauthenticated", maxUnauthenticated, 1, 100_000);
  }

  private static void range(List<String> errors, String name, int value, int min, int max) {
    if (value < min || value > max) {
      errors.add(name + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }
}
