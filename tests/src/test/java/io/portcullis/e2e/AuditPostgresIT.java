package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.audit.AuditReader;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.audit.AuditSettings;
import io.portcullis.audit.AuditUnavailableException;
import io.portcullis.audit.AuditVerifier;
import io.portcullis.audit.CheckpointSigner;
import io.portcullis.audit.PostgresAuditSettings;
import io.portcullis.audit.SessionStarted;
import io.portcullis.audit.TerminalOutput;
import io.portcullis.audit.VerifyReport;
import io.portcullis.it.fixture.CuttableProxy;
import io.portcullis.it.fixture.PostgresServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL audit store against a real PostgreSQL: append-only table, outages, spool limits. */
class AuditPostgresIT {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String WRITER = "audit_writer";
  private static final String WRITER_PASSWORD = "audit-writer-test-password";

  @TempDir Path data;

  private final PostgresServer pg = PostgresServer.shared();

  private String freshDatabase() {
    String db = "audit_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    pg.execAsSuperuser("postgres", "CREATE DATABASE " + db);
    return db;
  }

  private static AuditSettings settings(PostgresAuditSettings postgres, long spoolMaxBytes) {
    return new AuditSettings(true, "postgres", 50, 3600, null, 64L * 1024, spoolMaxBytes, null, null, postgres);
  }

  private PostgresAuditSettings superuser(String db, int port) {
    return new PostgresAuditSettings(null, pg.host(), port, db, "postgres", "PGPW", "gw-1", 100);
  }

  private static Map<String, String> env(String password) {
    return Map.of("PGPW", password);
  }

  private static SessionStarted start(String id) {
    return new SessionStarted(id, "postgres", "demo", Instant.now(),
        new SessionStarted.Principal("https://idp", "alice", List.of("readers"), "oidc_jwt"),
        new SessionStarted.Source("127.0.0.1", 40000, false, null), null);
  }

  private VerifyReport verify(PostgresAuditSettings settings, String password) throws Exception {
    PublicKey key = CheckpointSigner.readPublicKey(CheckpointSigner.publicKeyFile(data.resolve("audit-signing.key")));
    return AuditVerifier.verify(AuditReader.postgres(settings, password, AuditSettings.directory(data)), key);
  }

  private long count(String db) throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.superuserJdbcUrl(db), "postgres", PostgresServer.SUPERUSER_PASSWORD);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM portcullis_audit.records")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void gatewayCreatesAnAppendOnlySchemaThatRefusesUpdateDeleteAndTruncate() throws Exception {
    String db = freshDatabase();
    PostgresAuditSettings settings = superuser(db, pg.port());
    try (AuditRecorder audit = AuditRecorder.open(settings(settings, 1 << 20), data, env(PostgresServer.SUPERUSER_PASSWORD))) {
      for (int i = 0; i < 10; i++) {
        audit.sessionStarted(start("ses_" + i)).get(10, TimeUnit.SECONDS);
      }
    }
    assertThat(count(db)).isEqualTo(11); // ten and the shutdown checkpoint
    for (String change : List.of("UPDATE portcullis_audit.records SET kind = 'x'",
        "DELETE FROM portcullis_audit.records", "TRUNCATE portcullis_audit.records")) {
      assertThatThrownBy(() -> pg.execAsSuperuser(db, change)).hasMessageContaining("append-only");
    }
    VerifyReport report = verify(settings, PostgresServer.SUPERUSER_PASSWORD);
    assertThat(report.problems()).isEmpty();
    assertThat(report.records()).isEqualTo(11);
  }

  @Test
  void roleWithInsertOnlyRecordsAndCannotChangeAnything() throws Exception {
    String db = freshDatabase();
    String schema;
    try (InputStream in = AuditRecorder.class.getResourceAsStream("schema.sql")) {
      schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    pg.execAsSuperuser(db, schema);
    pg.execAsSuperuser(db, """
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1$s') THEN
            CREATE ROLE %1$s LOGIN PASSWORD '%2$s';
          END IF;
        END $$;
        GRANT USAGE ON SCHEMA portcullis_audit TO %1$s;
        GRANT INSERT ON portcullis_audit.records TO %1$s;
        GRANT SELECT (chain, seq, hash) ON portcullis_audit.records TO %1$s;
        """.formatted(WRITER, WRITER_PASSWORD));
    PostgresAuditSettings writer = new PostgresAuditSettings(null, pg.host(), pg.port(), db, WRITER, "PGPW", "gw-1", 100);
    try (AuditRecorder audit = AuditRecorder.open(settings(writer, 1 << 20), data, env(WRITER_PASSWORD))) {
      audit.sessionStarted(start("ses_1")).get(10, TimeUnit.SECONDS);
    }
    // Restarted, it reads its chain head through the column grant and goes on from there.
    try (AuditRecorder audit = AuditRecorder.open(settings(writer, 1 << 20), data, env(WRITER_PASSWORD))) {
      audit.sessionStarted(start("ses_2")).get(10, TimeUnit.SECONDS);
    }
    try (Connection c = DriverManager.getConnection(pg.superuserJdbcUrl(db), WRITER, WRITER_PASSWORD);
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("DELETE FROM portcullis_audit.records")).hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("SELECT line FROM portcullis_audit.records")).hasMessageContaining("permission denied");
    }
    VerifyReport report = verify(superuser(db, pg.port()), PostgresServer.SUPERUSER_PASSWORD);
    assertThat(report.problems()).isEmpty();
    assertThat(report.records()).isEqualTo(4);
  }

  @Test
  void databaseDownUnderSteadyAppendsLosesNothingAndTheChainVerifiesAfterReplay() throws Exception {
    String db = freshDatabase();
    try (CuttableProxy proxy = new CuttableProxy(pg.host(), pg.port())) {
      PostgresAuditSettings settings = superuser(db, proxy.port());
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      int appended = 0;
      try (AuditRecorder audit = AuditRecorder.open(settings(settings, 64L << 20), data,
          env(PostgresServer.SUPERUSER_PASSWORD))) {
        long t0 = System.nanoTime();
        boolean cut = false;
        boolean restored = false;
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(9)) {
          long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
          if (!cut && elapsedMs > 2_000) {
            proxy.cut();
            cut = true;
          }
          if (!restored && elapsedMs > 6_000) {
            proxy.restore();
            restored = true;
          }
          CompletableFuture<Void> f = audit.terminalOutput(new TerminalOutput("ses_1", elapsedMs * 1000, "o", "tick " + appended));
          futures.add(f);
          appended++;
          if (cut && !restored) {
            // Spooled records are durable as soon as the spool's fsync returns.
            f.get(10, TimeUnit.SECONDS);
            assertThat(audit.healthy()).isTrue();
          }
          Thread.sleep(2);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      }
      VerifyReport report = verify(settings, PostgresServer.SUPERUSER_PASSWORD);
      assertThat(report.problems()).isEmpty();
      long checkpoints = report.records() - appended;
      assertThat(checkpoints).isBetween((long) appended / 50, (long) appended / 50 + 2);
      assertThat(report.lastSeq()).isEqualTo(report.records());
      assertThat(count(db)).isEqualTo(report.records());
      try (var spooled = Files.list(AuditSettings.directory(data).resolve("spool"))) {
        assertThat(spooled.filter(p -> p.toString().endsWith(".jsonl"))).isEmpty();
      }
    }
  }

  @Test
  void fullSpoolRefusesWithATypedErrorAndRecoversOnceReplayed() throws Exception {
    String db = freshDatabase();
    try (CuttableProxy proxy = new CuttableProxy(pg.host(), pg.port())) {
      PostgresAuditSettings settings = superuser(db, proxy.port());
      try (AuditRecorder audit = AuditRecorder.open(settings(settings, 8192), data, env(PostgresServer.SUPERUSER_PASSWORD))) {
        audit.sessionStarted(start("ses_1")).get(10, TimeUnit.SECONDS);
        proxy.cut();
        Throwable refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
          try {
            audit.terminalOutput(new TerminalOutput("ses_1", i, "o", "x".repeat(200))).get(10, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            refused = e.getCause();
          }
        }
        assertThat(refused).isInstanceOf(AuditUnavailableException.class).hasMessageContaining("audit spool full");
        assertThat(audit.healthy()).isFalse();
        assertThat(audit.problem()).contains("spool");
        proxy.restore();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!audit.healthy() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(audit.healthy()).isTrue();
        audit.sessionStarted(start("ses_2")).get(10, TimeUnit.SECONDS);
      }
      assertThat(verify(settings, PostgresServer.SUPERUSER_PASSWORD).problems()).isEmpty();
    }
  }
}
