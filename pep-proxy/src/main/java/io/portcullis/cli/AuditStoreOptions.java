package io.portcullis.cli;

import io.portcullis.audit.AuditQueries;
import io.portcullis.audit.AuditReader;
import io.portcullis.audit.AuditSettings;
import io.portcullis.audit.CheckpointSigner;
import io.portcullis.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine.Option;

/** Options shared by the audit and sessions commands: which log to read, and how to print. */
final class AuditStoreOptions {

  @Option(names = {"-c", "--config"},
      description = "YAML configuration whose audit store to read (default: $PORTCULLIS_CONFIG, else portcullis.yaml)")
  Path config;

  @Option(names = "--data-dir", description = "read the embedded store in DIR/audit instead of --config's")
  Path dataDir;

  @Option(names = "--public-key",
      description = "checkpoint public key (default: the signing key file's .pub)")
  Path publicKey;

  @Option(names = "--json", description = "print JSON for scripts")
  boolean json;

  /** Clock for relative times; a seam for tests. */
  static Clock clock = Clock.systemUTC();

  private GatewayConfig loaded;

  /** The configuration, or null when reading a bare data directory. */
  GatewayConfig config() {
    if (dataDir != null) {
      return null;
    }
    if (loaded == null) {
      Path file = config != null ? config : Path.of(System.getenv().getOrDefault("PORTCULLIS_CONFIG", "portcullis.yaml"));
      loaded = CheckConfigCommand.loadOrReport(file);
      if (loaded == null) {
        throw new IllegalArgumentException("cannot read " + file + " (or pass --data-dir)");
      }
    }
    return loaded;
  }

  private Path data() {
    GatewayConfig c = config();
    return c == null ? dataDir : Path.of(c.dataDir());
  }

  private AuditSettings settings() {
    GatewayConfig c = config();
    return c == null ? AuditSettings.defaults() : c.audit();
  }

  /** A reader of the configured store. */
  AuditReader reader() {
    AuditSettings settings = settings();
    Path dir = AuditSettings.directory(data());
    if (settings.store().equals("postgres")) {
      return AuditReader.postgres(settings.postgres(), settings.postgres().password(System.getenv()), dir);
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no audit log in " + dir);
    }
    return AuditReader.embedded(dir);
  }

  /** The checkpoint public key, or null when there is none to read. */
  PublicKey key() throws IOException {
    Path file = publicKey != null ? publicKey : CheckpointSigner.publicKeyFile(settings().signingKey(data()));
    return Files.exists(file) ? CheckpointSigner.readPublicKey(file) : null;
  }

  /** An instant from {@code 2026-01-02T03:04:05Z}, or a duration ago: {@code PT1H}, {@code 1h}, {@code 30m}, {@code 2d}. */
  static Instant time(String option, String text) {
    return AuditQueries.time(option, text, clock);
  }
}
