package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.audit.AuditReader;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.audit.AuditSettings;
import io.portcullis.audit.AuditVerifier;
import io.portcullis.audit.CheckpointSigner;
import io.portcullis.audit.PostgresAuditSettings;
import io.portcullis.audit.VerifyReport;
import io.portcullis.it.fixture.CuttableProxy;
import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit stores through the gateway with real clients: the PostgreSQL store cut for 30 s (or
 * {@code -Dportcullis.audit.outage_s}) under steady load loses nothing; a full spool, or an embedded store that cannot create its segment,
 * refuses statements and sessions with a clear error until the store is back.
 */
class AuditStoreIT {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String LOAD_SQL = "SELECT count(*) AS audit_load FROM customers";
  private static final String REFUSED = "the audit log is unavailable";

  private static OpaServer opa;
  private final PostgresServer pg = PostgresServer.shared();

  @BeforeAll
  static void start() {
    opa = new OpaServer(Repo.root().resolve("policies")).start();
  }

  @AfterAll
  static void stop() {
    if (opa != null) {
      opa.close();
    }
  }

  /** A new database holding the audit schema, written by the gateway's role with INSERT only. */
  private String auditDatabase() throws IOException {
    String db = "audit_store_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    pg.execAsSuperuser("postgres", "CREATE DATABASE " + db);
    try (InputStream in = AuditRecorder.class.getResourceAsStream("schema.sql")) {
      pg.execAsSuperuser(db, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    pg.execAsSuperuser(db, """
        GRANT USAGE ON SCHEMA portcullis_audit TO %1$s;
        GRANT INSERT ON portcullis_audit.records TO %1$s;
        GRANT SELECT (chain, seq, hash) ON portcullis_audit.records TO %1$s;
        """.formatted(PostgresServer.GATEWAY_USER));
    return db;
  }

  /** The {@code audit:} section of a gateway writing to {@code db} through port {@code port}. */
  private static String postgresAudit(String db, int port, long spoolMaxBytes) {
    return """
        audit:
          store: postgres
          checkpoint_every_records: 500
          spool_max_bytes: %d
          postgres: {host: 127.0.0.1, port: %d, database: %s, user: %s, password_env: DEMO_PW, chain: store-it, batch_records: 200}
        """.formatted(spoolMaxBytes, port, db, PostgresServer.GATEWAY_USER);
  }

  private static PublicKey key(GatewayFixture gw) throws Exception {
    return CheckpointSigner.readPublicKey(CheckpointSigner.publicKeyFile(gw.dataDir().resolve("audit-signing.key")));
  }

  private VerifyReport verifyPostgres(GatewayFixture gw, String db) throws Exception {
    PostgresAuditSettings superuser = new PostgresAuditSettings(null, pg.host(), pg.port(), db, "postgres",
        null, "store-it", null);
    return AuditVerifier.verify(AuditReader.postgres(superuser, PostgresServer.SUPERUSER_PASSWORD,
        AuditSettings.directory(gw.dataDir())), key(gw));
  }

  private long count(String db, String sql) {
    return Long.parseLong(pg.queryAsSuperuser(db, sql).strip());
  }

  private static long spooledFiles(GatewayFixture gw) throws IOException {
    Path spool = AuditSettings.directory(gw.dataDir()).resolve("spool");
    if (!Files.isDirectory(spool)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(spool)) {
      return files.filter(p -> p.toString().endsWith(".jsonl")).count();
    }
  }

  private static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      Thread.sleep(100);
    }
  }

  /** null when the statement ran, else the refusal's message (always SQLSTATE 42501). */
  private static String attempt(Connection c, String sql) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return null;
    } catch (SQLException e) {
      assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501");
      return e.getMessage();
    }
  }

  /** How long the store is cut: 30 s in CI; scripts/audit-outage.sh runs it for 300. */
  private static final int OUTAGE_S = Integer.getInteger("portcullis.audit.outage_s", 30);

  @Test
  void postgresStoreCutUnderSteadyLoadLosesNoRecordAndTheChainVerifies() throws Exception {
    String db = auditDatabase();
    try (CuttableProxy store = new CuttableProxy(pg.host(), pg.port())) {
      GatewayFixture gw = GatewayFixture.startWith(pg, opa.url(), postgresAudit(db, store.port(), 256L << 20));
      long executed;
      try {
        String token = gw.token("audit-load", "readers");
        AtomicLong ok = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(OUTAGE_S + 8);
        int perClient = 50_000 * Math.max(1, OUTAGE_S / 30);
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          Connection c = gw.jdbc(token, "preferQueryMode", "simple");
          clients.add(CompletableFuture.runAsync(() -> {
            try (c) {
              // Bounded: a deadline, and at most 50,000 statements per client per 30 s cut.
              for (int n = 0; n < perClient && System.nanoTime() < deadline && failures.isEmpty(); n++) {
                String refused = attempt(c, LOAD_SQL);
                if (refused != null) {
                  failures.add(refused);
                } else {
                  ok.incrementAndGet();
                }
                Thread.sleep(2);
              }
            } catch (SQLException | InterruptedException | RuntimeException e) {
              failures.add(e.toString());
            }
          }));
        }
        Thread.sleep(3_000);
        store.cut();
        long beforeCut = ok.get();
        for (int s = 0; s < OUTAGE_S; s++) {
          Thread.sleep(1_000);
          assertThat(gw.gateway().audit().healthy()).as(gw.gateway().audit().problem()).isTrue();
        }
        assertThat(spooledFiles(gw)).as("records spooled while the store is cut").isPositive();
        long duringCut = ok.get() - beforeCut;
        store.restore();
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(failures).isEmpty();
        executed = ok.get();
        assertThat(duringCut).as("statements while the store was cut").isGreaterThan(100);
        long cutAt = System.nanoTime();
        await("spool replayed", 30 + OUTAGE_S / 5, () -> {
          try {
            return spooledFiles(gw) == 0;
          } catch (IOException e) {
            return false;
          }
        });
        System.out.printf("audit store cut for %d s: %d statements before, %d during, %d in all;"
            + " spool replayed %d ms after the end of the load%n", OUTAGE_S, beforeCut, duringCut, ok.get(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt));
      } finally {
        gw.close();
      }

      String requests = "FROM portcullis_audit.records WHERE chain = 'store-it' AND kind = 'request'"
          + " AND line LIKE '%audit_load%'";
      assertThat(count(db, "SELECT count(*) " + requests)).isEqualTo(executed);
      assertThat(count(db, "SELECT count(*) FROM (SELECT session_id, record->'event'->>'request_no' " + requests
          + " GROUP BY 1, 2 HAVING count(*) > 1) d")).as("requests recorded twice").isZero();
      // Every request's response was recorded too, although nothing waited for those records.
      String loadSessions = "SELECT DISTINCT session_id " + requests;
      assertThat(count(db, "SELECT count(*) FROM portcullis_audit.records WHERE kind = 'response' AND session_id IN ("
          + loadSessions + ")")).isEqualTo(count(db, "SELECT count(*) FROM portcullis_audit.records"
          + " WHERE kind = 'request' AND session_id IN (" + loadSessions + ")"));
      VerifyReport report = verifyPostgres(gw, db);
      assertThat(report.problems()).isEmpty();
      assertThat(report.lastSeq()).isEqualTo(report.records());
      assertThat(report.records()).isEqualTo(count(db, "SELECT count(*) FROM portcullis_audit.records"));
    }
  }

  /**
   * Runs psql in the background: one statement, then a signal file and a wait (bounded) for a
   * go-ahead file, then {@code statements} statements.
   */
  private static CompletableFuture<Processes.Result> psqlWaitingFor(GatewayFixture gw, Path ready, Path go,
      int statements) {
    StringBuilder script = new StringBuilder("SELECT 'connected';\n")
        .append("\\! touch ").append(ready).append('\n')
        .append("\\! for i in $(seq 200); do [ -e ").append(go).append(" ] && break; sleep 0.1; done\n");
    for (int i = 0; i < statements; i++) {
      script.append("SELECT 'during ").append(i).append("', repeat('x', 10);\n");
    }
    String token = gw.token("spool-filler", "readers");
    return CompletableFuture.supplyAsync(() -> gw.psql(token, script.toString(), "-tA"));
  }

  @Test
  void fullSpoolRefusesStatementsAndSessionsUntilTheStoreIsBack() throws Exception {
    String db = auditDatabase();
    Path signals = Files.createTempDirectory("portcullis-audit-signals-");
    try (CuttableProxy store = new CuttableProxy(pg.host(), pg.port())) {
      GatewayFixture gw = GatewayFixture.startWith(pg, opa.url(), postgresAudit(db, store.port(), 4096));
      try {
        String token = gw.token("audit-held", "readers");
        try (Connection held = gw.jdbc(token, "preferQueryMode", "simple")) {
          assertThat(attempt(held, "SELECT 1")).isNull();
          Path ready = signals.resolve("ready");
          Path go = signals.resolve("go");
          var psql = psqlWaitingFor(gw, ready, go, 30);
          await("psql connected", 30, () -> Files.exists(ready));
          store.cut();
          Files.createFile(go);
          Processes.Result r = psql.get(60, TimeUnit.SECONDS);
          assertThat(r.stdout()).contains("connected");
          assertThat(r.stderr()).contains("ERROR:  portcullis: " + REFUSED + ", so no request can run");
          assertThat(gw.gateway().audit().healthy()).isFalse();
          assertThat(gw.gateway().audit().problem()).contains("audit spool full");

          assertThat(attempt(held, "SELECT 1")).contains(REFUSED);
          Processes.Result refused = gw.psql(gw.token("newcomer", "readers"), null, "-tA", "-c", "SELECT 1");
          assertThat(refused.exitCode()).isNotZero();
          assertThat(refused.stderr()).contains("FATAL:  " + REFUSED + ", so no session can start");
          assertThatThrownBy(() -> gw.jdbc(gw.token("newcomer", "readers")).close())
              .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57P03"));

          store.restore();
          await("recorder healthy again", 30, () -> gw.gateway().audit().healthy());
          assertThat(attempt(held, "SELECT 1")).isNull();
          Processes.Result back = gw.psql(gw.token("newcomer", "readers"), null, "-tA", "-c", "SELECT 'back'");
          assertThat(back.exitCode()).as(back.output()).isZero();
          assertThat(back.stdout()).contains("back");
        }
      } finally {
        gw.close();
      }
      VerifyReport report = verifyPostgres(gw, db);
      assertThat(report.problems()).isEmpty();
      assertThat(report.lastSeq()).isEqualTo(report.records());
    }
  }

  @Test
  void embeddedStoreThatCannotCreateItsSegmentRefusesRequestsAndRecovers() throws Exception {
    // As root no permission stops the gateway, so take the directory itself away: the open
    // segment still takes writes, but the next rotation (every 4 KiB here) cannot create a file.
    GatewayFixture gw = GatewayFixture.startWith(pg, opa.url(), """
        audit:
          segment_bytes: 4096
        """);
    Path audit = AuditSettings.directory(gw.dataDir());
    Path away = audit.resolveSibling("audit.away");
    try {
      try (Connection held = gw.jdbc(gw.token("audit-embedded", "readers"), "preferQueryMode", "simple")) {
        assertThat(attempt(held, "SELECT 1")).isNull();
        Files.move(audit, away);
        Files.writeString(audit, "not a directory\n");
        String refusal = null;
        for (int i = 0; i < 50 && refusal == null; i++) {
          refusal = attempt(held, "SELECT 1");
        }
        assertThat(refusal).contains(REFUSED + ", so no request can run");
        assertThat(gw.gateway().audit().healthy()).isFalse();
        assertThat(attempt(held, "SELECT 2")).contains(REFUSED);
        Processes.Result refused = gw.psql(gw.token("newcomer", "readers"), null, "-tA", "-c", "SELECT 1");
        assertThat(refused.stderr()).contains("FATAL:  " + REFUSED + ", so no session can start");

        Files.delete(audit);
        Files.move(away, audit);
        await("recorder healthy again", 15, () -> gw.gateway().audit().healthy());
        assertThat(attempt(held, "SELECT 3")).isNull();
        Processes.Result back = gw.psql(gw.token("newcomer", "readers"), null, "-tA", "-c", "SELECT 'back'");
        assertThat(back.exitCode()).as(back.output()).isZero();
        assertThat(back.stdout()).contains("back");
      }
    } finally {
      gw.close();
      if (Files.isRegularFile(audit) && Files.isDirectory(away)) {
        Files.delete(audit);
        Files.move(away, audit);
      }
    }
    VerifyReport report = AuditVerifier.verify(AuditReader.embedded(audit), key(gw));
    assertThat(report.problems()).isEmpty();
    assertThat(report.lastSeq()).isEqualTo(report.records());
  }
}
