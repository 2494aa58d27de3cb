package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.GatewayProcess;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways sharing one PostgreSQL database for audit, approvals and activity counters: one in
 * this JVM, one as its own process from the built jar, both trusting the same issuer and asking
 * the same policy. An approval held on one is decided through the other; denials, and the sources
 * an identity connected from, add up across both.
 */
class ScaleOutIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int SYNC_MS = 200;
  /** Clients waiting for approval; not the common pool, which one waiting client can fill. */
  private static final ExecutorService CLIENTS = Executors.newVirtualThreadPerTaskExecutor();
  private static OpaServer opa;
  private static String database;
  private static GatewayFixture a;
  private static GatewayProcess b;

  @BeforeAll
  static void start() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    database = "scaleout_" + ProcessHandle.current().pid();
    pg.execAsSuperuser("postgres", "CREATE DATABASE " + database + " OWNER " + PostgresServer.GATEWAY_USER);
    String shared = """
        approvals:
          sync_interval_ms: %1$d
        monitoring:
          share_interval_ms: %1$d
        """.formatted(SYNC_MS);
    a = GatewayFixture.startWith(pg, opa.url(), shared + audit("gw-a"));
    b = GatewayProcess.start("""
        listen:
          postgres: 127.0.0.1:%%PG_PORT%%
          allow_cleartext_on_loopback: true
        identity:
          issuer: %1$s
          jwks_url: %2$s
          audiences: [portcullis]
        opa:
          url: %3$s
          timeout_ms: 1000
        targets:
          - {name: demo, protocol: postgres, host: %4$s, port: %5$d, database: demo, user: %6$s, password_env: DEMO_PW}
        data_dir: %%DIR%%/data
        log:
          decisions: %%DIR%%/decisions.log
        admin:
          listen: 127.0.0.1:%%ADMIN_PORT%%
        %7$s
        """.formatted(a.gateway().devIssuer().issuer(), a.gateway().devIssuer().jwksUrl(), opa.url(),
        pg.host(), pg.port(), PostgresServer.GATEWAY_USER, shared + audit("gw-b")),
        Map.of("DEMO_PW", PostgresServer.GATEWAY_PASSWORD));
  }

  private static String audit(String chain) {
    PostgresServer pg = PostgresServer.shared();
    return """
        audit:
          store: postgres
          postgres: {host: %s, port: %d, database: %s, user: %s, password_env: DEMO_PW, chain: %s}
        """.formatted(pg.host(), pg.port(), database, PostgresServer.GATEWAY_USER, chain);
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (opa != null) {
      opa.close();
    }
  }

  @Test
  void anApprovalHeldOnOneGatewayIsApprovedThroughTheOther() throws Exception {
    CompletableFuture<Processes.Result> run = CompletableFuture.supplyAsync(() -> psql(b.port(),
        a.token("agent-so1", "readers", "agents"), "UPDATE orders SET status = 'so-31' WHERE id = 31;\n"), CLIENTS);
    String id = pendingContaining(a.adminUrl(), "so-31");
    assertThat(post(a.adminUrl(), "/api/v1/approvals/" + id + "/approve", "{}").statusCode()).isEqualTo(200);
    Processes.Result result = run.get(30, TimeUnit.SECONDS);
    assertThat(result.stdout()).as(result.output()).contains("UPDATE 1");
    assertThat(get(b.adminUrl(), "/api/v1/approvals/" + id).path("state").asText()).isEqualTo("approved");
    assertThat(PostgresServer.shared().queryAsSuperuser(database,
        "SELECT count(*) FROM portcullis_audit.approval_events WHERE approval_id = '" + id + "' AND kind = 'resolved'"))
        .isEqualTo("1");
  }

  @Test
  void anApprovalHeldOnTheOtherGatewayIsDeniedThroughThisOne() throws Exception {
    CompletableFuture<Processes.Result> run = CompletableFuture.supplyAsync(() -> psql(a.port(),
        a.token("agent-so2", "readers", "agents"), "UPDATE orders SET status = 'so-32' WHERE id = 32;\n"), CLIENTS);
    String id = pendingContaining(b.adminUrl(), "so-32");
    assertThat(post(b.adminUrl(), "/api/v1/approvals/" + id + "/deny", "{\"reason\": \"not in prod\"}")
        .statusCode()).isEqualTo(200);
    Processes.Result result = run.get(30, TimeUnit.SECONDS);
    assertThat(result.stdout()).doesNotContain("UPDATE 1");
    assertThat(result.stderr()).contains("denied by dba-so: not in prod");
  }

  @Test
  void denialsOnBothGatewaysAddUpToTheSessionLimit() throws Exception {
    String token = a.token("prober-so", "readers");
    try (Connection c = a.jdbc(token); Statement s = c.createStatement()) {
      for (int i = 0; i < 6; i++) {
        assertThatThrownBy(() -> s.execute("DROP TABLE orders")).isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      }
    }
    try (Connection c = jdbc(b.port(), token, "127.0.0.1"); Statement s = c.createStatement()) {
      // This session's identity is now tracked on b: its next exchange brings a's counts.
      Thread.sleep(3L * SYNC_MS + 500);
      for (int i = 0; i < 4; i++) {
        assertThatThrownBy(() -> s.execute("DROP TABLE orders")).isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      }
      // b denied 4 itself; with a's 6 that is the default limit of 10 a minute.
      assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P01"))
          .hasMessageContaining("10 requests denied in the last minute (limit 10)");
    }
    // What each published, once b has published its last (within a few intervals): b's five are
    // its four statements and the one that ended the session.
    String published = null;
    for (int i = 0; i < 50 && !"gw-a=6,gw-b=5".equals(published); i++) {
      Thread.sleep(100);
      published = PostgresServer.shared().queryAsSuperuser(database, """
          SELECT string_agg(instance || '=' || denied, ',' ORDER BY instance) FROM (
            SELECT instance, sum(denied) AS denied FROM portcullis_state.activity
            WHERE identity LIKE '%prober-so' AND target = '' AND step_ms = 300000 GROUP BY instance) t""");
    }
    assertThat(published).isEqualTo("gw-a=6,gw-b=5");
  }

  @Test
  void aSourceSeenOnOneGatewayIsNotNewOnTheOther() throws Exception {
    String token = a.token("pinned-so", "readers", "pinned_sources");
    // The first session from 127.0.0.3 is refused on a, which remembers the address...
    assertThatThrownBy(() -> a.jdbc(token, "localSocketAddress", "127.0.0.3")).isInstanceOf(SQLException.class)
        .hasMessageContaining("first session of pinned-so from 127.0.0.3");
    Thread.sleep(3L * SYNC_MS + 500);
    // ...so that the first one on b from there is not new; one from elsewhere still is.
    try (Connection c = jdbc(b.port(), token, "127.0.0.3"); Statement s = c.createStatement()) {
      assertThat(s.execute("SELECT 1")).isTrue();
    }
    assertThatThrownBy(() -> jdbc(b.port(), token, "127.0.0.4")).isInstanceOf(SQLException.class)
        .hasMessageContaining("first session of pinned-so from 127.0.0.4");
  }

  private static Connection jdbc(int port, String token, String fromIp) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "agent");
    props.setProperty("password", token);
    props.setProperty("sslmode", "disable");
    props.setProperty("connectTimeout", "10");
    props.setProperty("socketTimeout", "60");
    props.setProperty("localSocketAddress", fromIp);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/demo", props);
  }

  private static Processes.Result psql(int port, String token, String stdin) {
    PostgresServer pg = PostgresServer.shared();
    return Processes.run(List.of(pg.binDir().resolve("psql").toString(),
        "host=127.0.0.1 port=" + port + " user=agent dbname=demo sslmode=disable", "-X", "--no-psqlrc"),
        Map.of("PGPASSWORD", token, "PGCONNECT_TIMEOUT", "10"), stdin, Duration.ofSeconds(60));
  }

  /** Waits up to 15 s for a pending approval whose JSON contains {@code marker}; its id. */
  private static String pendingContaining(String adminUrl, String marker) throws Exception {
    for (int i = 0; i < 150; i++) {
      for (JsonNode item : get(adminUrl, "/api/v1/approvals?state=pending").path("approvals")) {
        if (item.toString().contains(marker)) {
          return item.get("id").asText();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no pending approval with " + marker + " on " + adminUrl);
  }

  private static String approverToken() {
    return a.token("dba-so", "readers", "dba");
  }

  private static JsonNode get(String adminUrl, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl + path))
        .header("Authorization", "Bearer " + approverToken()).timeout(Duration.ofSeconds(10)).build();
    return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  private static HttpResponse<String> post(String adminUrl, String path, String json) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl + path))
        .header("Authorization", "Bearer " + approverToken()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
