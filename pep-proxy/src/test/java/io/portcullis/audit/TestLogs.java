package io.portcullis.audit;

import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyVerdict;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds audit logs for tests. */
final class TestLogs {

  private TestLogs() {}

  static AuditLog open(Path dataDir, long segmentBytes, int checkpointEvery, FileSync sync) throws IOException {
    Path dir = AuditSettings.directory(dataDir);
    return new AuditLog(new EmbeddedSink(dir, segmentBytes, sync),
        CheckpointSigner.loadOrCreate(dataDir.resolve("audit-signing.key")), dir, sync, checkpointEvery,
        Duration.ofHours(1), 65_536, Clock.systemUTC());
  }

  static SessionStarted start(String session, String subject) {
    return new SessionStarted(session, "postgres", "demo", Instant.parse("2026-01-01T00:00:00Z"),
        new SessionStarted.Principal("https://idp", subject, List.of("readers"), "oidc_jwt"),
        new SessionStarted.Source("127.0.0.1", 50000, false, null), null);
  }

  static PolicyVerdict verdict(boolean allow, String reason) {
    return new PolicyVerdict(new Decision(allow, List.of(reason), null, null, null, null, null, false), "dec-1",
        "rev-1", PolicyVerdict.Source.OPA, 1_000_000);
  }

  /** A request document shaped like the PostgreSQL one. */
  static Map<String, Object> input(String sql, String command, String table) {
    return Map.of("version", 1, "request", Map.of("kind", "sql", "sql", sql, "statements",
        List.of(Map.of("command", command, "tables", List.of(Map.of("schema", "public", "name", table))))),
        "context", Map.of("now", "2026-01-01T00:00:01Z"));
  }

  /** Writes {@code records} events (sessions with requests) and closes the log. */
  static void write(Path dataDir, long segmentBytes, int checkpointEvery, int records) throws Exception {
    AuditSettings settings = new AuditSettings(true, "embedded", checkpointEvery, 3600, null, segmentBytes,
        null, null, null, null);
    try (AuditRecorder recorder = AuditRecorder.open(settings, dataDir, Map.of(), FileSync.FDATASYNC,
        Clock.systemUTC())) {
      int n = 0;
      int session = 0;
      while (n < records) {
        String id = "ses_" + (++session);
        recorder.sessionStarted(start(id, "alice")).join();
        n++;
        for (int r = 1; r <= 3 && n < records; r++, n++) {
          recorder.request(id, r, "query", input("SELECT * FROM t" + r, "SELECT", "t" + r),
              verdict(r != 2, r != 2 ? "ok" : "no")).join();
        }
      }
    }
  }

  static Path auditDir(Path dataDir) {
    return AuditSettings.directory(dataDir);
  }
}
