package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.audit.AlertRaised;
import io.portcullis.audit.AuditReader;
import io.portcullis.audit.AuditRecord;
import io.portcullis.audit.AuditSettings;
import io.portcullis.audit.SessionEnded;
import io.portcullis.audit.SessionStarted;
import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Repo;
import io.portcullis.it.fixture.WebhookReceiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Continuous monitoring end to end, with the default policy and test-sized thresholds (a
 * data.json beside a copy of the policies): activity reaches the policy through
 * input.context.stats, alerts land in the audit log and on the webhooks, a CI identity's bulk read
 * waits for approval, a pinned identity's first session from a new address is denied, repeated
 * denials end the session, and the admin port serves metrics and readiness.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static WebhookReceiver webhooks;
  private static List<String> hooks;
  private static Path policies;
  private static OpaServer opa;
  private static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    webhooks = WebhookReceiver.start();
    hooks = webhooks.received();
    policies = Files.createTempDirectory("portcullis-policies-");
    copy(Repo.root().resolve("policies"), policies);
    Files.writeString(policies.resolve("data.json"), """
        {"portcullis": {"overrides": {"monitoring": {"thresholds": {
          "bulk_read_rows_per_minute": 150,
          "ci_bulk_read_approval_rows_per_minute": 150,
          "rate_spike_requests_per_minute": 30,
          "repeated_denials_per_minute": 3,
          "terminate_denials_per_minute": 6
        }}}}}
        """);
    opa = new OpaServer(policies).start();
    String hookBase = webhooks.url();
    gw = GatewayFixture.startWith(PostgresServer.shared(), opa.url(), """
        approvals:
          webhooks:
            - {url: %1$s/json, format: json}
            - {url: %1$s/slack, format: slack}
        """.formatted(hookBase));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (opa != null) {
      opa.close();
    }
    if (webhooks != null) {
      webhooks.close();
    }
  }

  private static Connection connect(String token, String fromIp) throws SQLException {
    return gw.jdbc(token, "localSocketAddress", fromIp);
  }

  private static int rows(Statement s, String sql) throws SQLException {
    int n = 0;
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        n++;
      }
    }
    return n;
  }

  private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.adminUrl() + path))
        .timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits (at most 15 s) for a webhook post on {@code path} that contains every marker. */
  private static String hook(String path, String... markers) throws InterruptedException {
    for (int i = 0; i < 150; i++) {
      Optional<String> found = hooks.stream()
          .filter(h -> h.startsWith(path + " ") && Stream.of(markers).allMatch(h::contains)).findFirst();
      if (found.isPresent()) {
        return found.get().substring(path.length() + 1);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no webhook on " + path + " with " + List.of(markers) + " among " + hooks.size());
  }

  /** Waits (at most 15 s) for an audit record that matches. */
  private static AuditRecord audited(Predicate<AuditRecord> match) throws Exception {
    for (int i = 0; i < 150; i++) {
      for (AuditRecord r : AuditReader.embeddedLive(AuditSettings.directory(gw.dataDir())).records()) {
        if (match.test(r)) {
          return r;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no such record in the audit log");
  }

  private static AlertRaised alert(String name, String subject) throws Exception {
    return (AlertRaised) audited(r -> r.event() instanceof AlertRaised a && a.alert().equals(name)
        && a.subject().equals(subject)).event();
  }

  @Test
  @Order(1)
  void aBulkReadOverTheThresholdRaisesAnAlertWithItsNumbers() throws Exception {
    try (Connection c = connect(gw.token("bulk-reader", "readers"), "127.0.0.1");
        Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT g FROM generate_series(1, 200) g")).isEqualTo(200);
      assertThat(rows(s, "SELECT 'after the bulk read'")).isEqualTo(1);
    }
    AlertRaised alert = alert("bulk_read", "bulk-reader");
    assertThat(alert.target()).isEqualTo("demo");
    assertThat(alert.allowed()).isTrue();
    assertThat(alert.request()).isEqualTo("select ?");
    assertThat(alert.stats().path("rows_returned_last_minute").asLong()).isEqualTo(200);
    assertThat(alert.stats().path("target").path("rows_returned_last_minute").asLong()).isEqualTo(200);
    JsonNode json = JSON.readTree(hook("/json", "\"alert\":\"bulk_read\"", "bulk-reader"));
    assertThat(json.path("type").asText()).isEqualTo("alert");
    assertThat(json.path("request").asText()).isEqualTo("select ?");
    assertThat(json.path("identity").path("subject").asText()).isEqualTo("bulk-reader");
    assertThat(json.path("stats").path("rows_returned_last_minute").asLong()).isEqualTo(200);
    assertThat(json.path("session_id").asText()).isEqualTo(alert.sessionId());
    assertThat(hook("/slack", "Alert bulk_read: bulk-reader on demo")).contains("\"blocks\"");
  }

  @Test
  @Order(2)
  void aCiIdentitysReadAfterABulkReadWaitsForApproval() throws Exception {
    String dba = gw.token("dba-1", "readers", "dba");
    try (Connection c = connect(gw.token("ci-bot", "readers", "ci"), "127.0.0.1");
        Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT g FROM generate_series(1, 200) g")).isEqualTo(200);
      CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> {
        try {
          return rows(s, "SELECT 'held read'");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      JsonNode pending = null;
      for (int i = 0; i < 150 && pending == null; i++) {
        for (JsonNode item : JSON.readTree(get("/api/v1/approvals?state=pending", dba).body()).path("approvals")) {
          if (item.toString().contains("ci-bot")) {
            pending = item;
          }
        }
        Thread.sleep(100);
      }
      assertThat(pending).as("a pending approval for ci-bot").isNotNull();
      assertThat(pending.toString()).contains("a bulk read by CI identity ci-bot on demo: 200 rows");
      assertThat(held).isNotDone();
      HttpResponse<String> approved = HTTP.send(HttpRequest.newBuilder(
          URI.create(gw.adminUrl() + "/api/v1/approvals/" + pending.path("id").asText() + "/approve"))
          .header("Authorization", "Bearer " + dba).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"comment\": \"expected export\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
      assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    }
    assertThat(alert("bulk_read", "ci-bot").stats().path("rows_returned_last_minute").asLong()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void manyRequestsInAMinuteRaiseARateSpikeAlertThroughTheCache() throws Exception {
    try (Connection c = connect(gw.token("spiky", "readers"), "127.0.0.1"); Statement s = c.createStatement()) {
      for (int i = 0; i < 35; i++) {
        rows(s, "SELECT 1");
      }
    }
    AlertRaised alert = alert("rate_spike", "spiky");
    assertThat(alert.stats().path("requests_last_minute").asLong()).isGreaterThan(30);
    hook("/json", "\"alert\":\"rate_spike\"", "spiky");
    // Raised once per minute for the same identity and target, the repeats counted, not announced.
    assertThat(AuditReader.embeddedLive(AuditSettings.directory(gw.dataDir())).records().stream()
        .filter(r -> r.event() instanceof AlertRaised a && a.subject().equals("spiky")
            && a.alert().equals("rate_spike"))).hasSize(1);
  }

  @Test
  @Order(4)
  void aPinnedIdentitysFirstSessionFromANewSourceIsDenied() throws Exception {
    String token = gw.token("pinned-1", "readers", "pinned_sources");
    // The driver's first statement, sent while it connects, is denied.
    assertThatThrownBy(() -> connect(token, "127.0.0.1")).isInstanceOf(SQLException.class)
        .hasMessageContaining("first session of pinned-1 from 127.0.0.1");
    try (Connection c = connect(token, "127.0.0.1"); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT 1")).isEqualTo(1);
    }
    // Refused outright: the first connection from a new address ends with its first statement.
    assertThatThrownBy(() -> connect(token, "127.0.0.2")).isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P01"))
        .hasMessageContaining("first session of pinned-1 from 127.0.0.2, a source address not seen for it before");
    try (Connection c = connect(token, "127.0.0.2"); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT 1")).isEqualTo(1);
    }
    JsonNode json = JSON.readTree(hook("/json", "\"alert\":\"new_source\"", "pinned-1", "127.0.0.2"));
    assertThat(json.path("verdict").asText()).isEqualTo("deny");
    assertThat(json.path("source_ip").asText()).isEqualTo("127.0.0.2");
    List<String> sources = new java.util.ArrayList<>();
    json.path("stats").path("sources").forEach(n -> sources.add(n.path("ip").asText()));
    assertThat(sources).containsExactly("127.0.0.1", "127.0.0.2");
    assertThat(audited(r -> r.event() instanceof SessionStarted st && st.identity().subject().equals("pinned-1")
        && st.source().ip().equals("127.0.0.2"))).isNotNull();
  }

  @Test
  @Order(5)
  void repeatedDenialsEndTheSession() throws Exception {
    try (Connection c = connect(gw.token("prober", "readers"), "127.0.0.1"); Statement s = c.createStatement()) {
      for (int i = 0; i < 6; i++) {
        assertThatThrownBy(() -> s.execute("DROP TABLE orders")).isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
      }
      assertThatThrownBy(() -> rows(s, "SELECT 1")).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P01"))
          .hasMessageContaining("the policy ended this session: the session is ended: 6 requests denied"
              + " in the last minute (limit 6)");
      assertThat(c.isValid(2)).isFalse();
    }
    SessionEnded end = (SessionEnded) audited(r -> r.event() instanceof SessionEnded e
        && e.reason().equals("terminated_by_policy") && e.detail().contains("requests denied")).event();
    assertThat(end.detail()).contains("6 requests denied in the last minute");
    assertThat(end.denied()).isEqualTo(7);
    alert("repeated_denials", "prober");
    alert("privileged_command", "prober");
  }

  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);

  /** The value of one sample, 0 when absent. */
  private static double sample(String metrics, String name, String labels) {
    Matcher m = SAMPLE.matcher(metrics);
    while (m.find()) {
      if (m.group(1).equals(name) && (labels == null ? m.group(2) == null : labels.equals(m.group(2)))) {
        return Double.parseDouble(m.group(3));
      }
    }
    return 0;
  }

  private static String scrape() throws Exception {
    HttpResponse<String> r = get("/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    return r.body();
  }

  @Test
  @Order(6)
  void metricsCountKnownTrafficExactly() throws Exception {
    String allow = "{protocol=\"postgres\",target=\"demo\",verdict=\"allow\"}";
    String deny = "{protocol=\"postgres\",target=\"demo\",verdict=\"deny\"}";
    String demo = "{protocol=\"postgres\",target=\"demo\"}";
    try (Connection c = connect(gw.token("metered", "readers"), "127.0.0.1"); Statement s = c.createStatement()) {
      String before = scrape();
      rows(s, "SELECT 1");
      rows(s, "SELECT g FROM generate_series(1, 3) g");
      rows(s, "SELECT 2");
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> s.execute("DROP TABLE orders")).isInstanceOf(SQLException.class);
      }
      String after = scrape();
      assertThat(sample(after, "portcullis_requests_total", allow) - sample(before, "portcullis_requests_total", allow))
          .isEqualTo(3);
      assertThat(sample(after, "portcullis_requests_total", deny) - sample(before, "portcullis_requests_total", deny))
          .isEqualTo(2);
      assertThat(sample(after, "portcullis_rows_returned_total", demo)
          - sample(before, "portcullis_rows_returned_total", demo)).isEqualTo(5);
      String privileged = "{alert=\"privileged_command\"}";
      assertThat(sample(after, "portcullis_alerts_total", privileged)
          - sample(before, "portcullis_alerts_total", privileged)).isEqualTo(2);
      double decisions = sample(after, "portcullis_decision_duration_seconds_count",
          "{protocol=\"postgres\",source=\"opa\"}") + sample(after, "portcullis_decision_duration_seconds_count",
          "{protocol=\"postgres\",source=\"cache\"}");
      double decisionsBefore = sample(before, "portcullis_decision_duration_seconds_count",
          "{protocol=\"postgres\",source=\"opa\"}") + sample(before, "portcullis_decision_duration_seconds_count",
          "{protocol=\"postgres\",source=\"cache\"}");
      assertThat(decisions - decisionsBefore).isEqualTo(5);
      assertThat(sample(after, "portcullis_client_received_bytes_total", demo))
          .isGreaterThan(sample(before, "portcullis_client_received_bytes_total", demo));
      assertThat(sample(after, "portcullis_client_sent_bytes_total", demo))
          .isGreaterThan(sample(before, "portcullis_client_sent_bytes_total", demo));
      assertThat(sample(after, "portcullis_sessions_open", demo)).isGreaterThanOrEqualTo(1);
      assertThat(sample(after, "portcullis_opa_healthy", null)).isEqualTo(1);
      assertThat(sample(after, "portcullis_audit_healthy", null)).isEqualTo(1);
      assertThat(after).contains("# TYPE portcullis_decision_duration_seconds histogram",
          "portcullis_approvals_pending ", "portcullis_audit_spool_bytes ", "portcullis_opa_errors_total");
    }
    String closed = scrape();
    assertThat(sample(closed, "portcullis_sessions_ended_total",
        "{protocol=\"postgres\",reason=\"client_closed\",target=\"demo\"}")).isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(7)
  void readinessFollowsOpa() throws Exception {
    assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
    opa.kill();
    try {
      HttpResponse<String> r = null;
      for (int i = 0; i < 100; i++) {
        r = get("/readyz", null);
        if (r.statusCode() == 503) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(r.statusCode()).isEqualTo(503);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.path("ready").asBoolean()).isFalse();
      assertThat(body.path("not_ready").toString()).contains("opa: OPA did not answer its last health check");
      assertThat(body.path("checks").path("audit").asText()).isEqualTo("ok");
      assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> connect(gw.token("while-down", "readers"), "127.0.0.1"))
          .isInstanceOf(SQLException.class).hasMessageContaining("policy decision unavailable");
      String metrics = scrape();
      assertThat(sample(metrics, "portcullis_opa_healthy", null)).isEqualTo(0);
      assertThat(sample(metrics, "portcullis_opa_errors_total", "{protocol=\"postgres\"}")).isGreaterThanOrEqualTo(1);
    } finally {
      opa.start();
    }
    int status = 0;
    for (int i = 0; i < 100 && status != 200; i++) {
      status = get("/readyz", null).statusCode();
      Thread.sleep(100);
    }
    assertThat(status).isEqualTo(200);
  }
}
