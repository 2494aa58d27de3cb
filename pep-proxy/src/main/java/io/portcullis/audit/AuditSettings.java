package io.portcullis.audit;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code audit:} section of the configuration.
 *
 * @param enabled whether the gateway records at all, default true
 * @param store {@code embedded} (segment files under {@code <data_dir>/audit}, default) or
 *     {@code postgres}
 * @param checkpointEveryRecords a signed checkpoint after this many records, default 1000
 * @param checkpointEveryS a signed checkpoint after this many seconds with new records, default 60
 * @param signingKeyFile the Ed25519 checkpoint key, default {@code <data_dir>/audit-signing.key}
 * @param segmentBytes a segment file is rotated once it is this large, default 64 MiB
 * @param spoolMaxBytes the most the PostgreSQL store's local spool may hold, default 1 GiB
 * @param fullResponseMaxBytes the most response text kept per request under {@code record: full},
 *     default 64 KiB
 * @param queueRecords records waiting to be written before new ones are refused, default 65,536
 * @param postgres the PostgreSQL store, when {@code store: postgres}
 */
public record AuditSettings(
    Boolean enabled,
    String store,
    Integer checkpointEveryRecords,
    Integer checkpointEveryS,
    String signingKeyFile,
    Long segmentBytes,
    Long spoolMaxBytes,
    Integer fullResponseMaxBytes,
    Integer queueRecords,
    PostgresAuditSettings postgres) {

  public AuditSettings {
    enabled = enabled == null || enabled;
    store = store == null ? "embedded" : store;
    checkpointEveryRecords = checkpointEveryRecords == null ? 1000 : checkpointEveryRecords;
    checkpointEveryS = checkpointEveryS == null ? 60 : checkpointEveryS;
    segmentBytes = segmentBytes == null ? 64L << 20 : segmentBytes;
    spoolMaxBytes = spoolMaxBytes == null ? 1L << 30 : spoolMaxBytes;
    fullResponseMaxBytes = fullResponseMaxBytes == null ? 64 << 10 : fullResponseMaxBytes;
    queueRecords = queueRecords == null ? 65_536 : queueRecords;
  }

  /** All defaults: embedded store, enabled. */
  public static AuditSettings defaults() {
    return new AuditSettings(null, null, null, null, null, null, null, null, null, null);
  }

  /** The signing key file, resolved against the data directory. */
  public Path signingKey(Path dataDir) {
    return signingKeyFile == null ? dataDir.resolve("audit-signing.key") : Path.of(signingKeyFile);
  }

  /** The directory of the segment files (and of the PostgreSQL store's spool). */
  public static Path directory(Path dataDir) {
    return dataDir.resolve("audit");
  }

  /** Adds a line to {@code errors} for each invalid setting. */
  public void validate(List<String> errors) {
    if (!store.equals("embedded") && !store.equals("postgres")) {
      errors.add("audit.store: " + store + " (expected: embedded or postgres)");
    }
    range(errors, "audit.checkpoint_every_records", checkpointEveryRecords, 1, 10_000_000);
    range(errors, "audit.checkpoint_every_s", checkpointEveryS, 1, 86_400);
    range(errors, "audit.segment_bytes", segmentBytes, 4096, 1L << 40);
    range(errors, "audit.spool_max_bytes", spoolMaxBytes, 4096, 1L << 50);
    range(errors, "audit.full_response_max_bytes", fullResponseMaxBytes, 0, 1 << 30);
    range(errors, "audit.queue_records", queueRecords, 16, 10_000_000);
    if (store.equals("postgres")) {
      if (postgres == null) {
        errors.add("audit.postgres: missing (expected with audit.store: postgres)");
      } else {
        postgres.validate(errors);
      }
    }
  }

  static void range(List<String> errors, String name, long value, long min, long max) {
    if (value < min || value > max) {
      errors.add(name + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }
}
