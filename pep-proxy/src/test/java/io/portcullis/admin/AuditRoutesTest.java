package io.portcullis.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.audit.ApprovalEvent;
import io.portcullis.audit.AuditReader;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.audit.AuditSettings;
import io.portcullis.audit.CheckpointSigner;
import io.portcullis.audit.SessionEnded;
import io.portcullis.audit.SessionStarted;
import io.portcullis.audit.TerminalOutput;
import io.portcullis.identity.TestIssuer;
import io.portcullis.json.Json;
import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyVerdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The audit routes of the admin API over real HTTP with real tokens, on a log written by the recorder. */
@Timeout(30)
class AuditRoutesTest {

  private static TestIssuer idp;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path data;
  private Path auditDir;
  private PublicKey key;
  private AdminServer admin;

  record Reply(int status, JsonNode json, String text, String contentType) {}

  @BeforeAll
  static void issuer() throws Exception {
    idp = TestIssuer.start();
  }

  @AfterAll
  static void stopIssuer() {
    idp.close();
  }

  @BeforeEach
  void record() throws Exception {
    try (AuditRecorder audit = AuditRecorder.open(AuditSettings.defaults(), data, Map.of())) {
      session(audit, "ses_a", "alice", List.of("readers"), true);
      session(audit, "ses_b", "bob", List.of("ci"), false);
      SessionStarted ssh = start("ses_t", "carol", List.of("ops"), "ssh")
          .withTerminal(new SessionStarted.Terminal(100, 30, "xterm-256color"));
      audit.sessionStarted(ssh).join();
      audit.terminalOutput(new TerminalOutput("ses_t", 1_500, "o", "$ ")).join();
      audit.terminalOutput(new TerminalOutput("ses_t", 250_000, "o", "uptime\r\n")).join();
      audit.sessionEnded(new SessionEnded("ses_t", 300, "client_closed", null, 0, 0, 0)).join();
    }
    auditDir = AuditSettings.directory(data);
    key = CheckpointSigner.readPublicKey(CheckpointSigner.publicKeyFile(data.resolve("audit-signing.key")));
    admin = start(AuditReader.embeddedLive(auditDir), List.of("group:security", "user:carol"));
  }

  @AfterEach
  void stop() {
    admin.close();
  }

  private AdminServer start(AuditReader reader, List<String> auditors) throws Exception {
    return AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), idp.verifier(),
        AuditRoutes.of(reader, key, new Auditors(auditors), Clock.systemUTC()));
  }

  private static SessionStarted start(String id, String subject, List<String> groups, String protocol) {
    return new SessionStarted(id, protocol, "demo", Instant.now(),
        new SessionStarted.Principal("https://idp", subject, groups, "oidc_jwt"),
        new SessionStarted.Source("127.0.0.1", 40000, false, null), null);
  }

  private static void session(AuditRecorder audit, String id, String subject, List<String> groups, boolean deny) {
    audit.sessionStarted(start(id, subject, groups, "postgres")).join();
    audit.request(id, 1, "query", input("SELECT * FROM customers", "SELECT", "customers"), verdict(true, "ok")).join();
    audit.requestCompleted(id, 1, 50L, 4096, 50, null, 900, null).join();
    if (deny) {
      audit.request(id, 2, "query", input("DROP TABLE orders", "DROP TABLE", "orders"),
          verdict(false, "DROP is never allowed through the gateway")).join();
      audit.approvalEvent(new ApprovalEvent(id, 2, "apr_1", "denied", "user:carol", List.of("group:dba"), "no"))
          .join();
    }
    audit.sessionEnded(new SessionEnded(id, 40, "client_closed", null, deny ? 2 : 1, 1, deny ? 1 : 0)).join();
  }

  private static Map<String, Object> input(String sql, String command, String table) {
    return Map.of("version", 1, "request", Map.of("kind", "sql", "sql", sql, "statements",
        List.of(Map.of("command", command, "tables", List.of(Map.of("schema", "public", "name", table))))));
  }

  private static PolicyVerdict verdict(boolean allow, String reason) {
    return new PolicyVerdict(new Decision(allow, List.of(reason), null, null, null, null, null, false),
        "dec-" + reason.length(), "rev-1", PolicyVerdict.Source.OPA, 1000);
  }

  private Reply get(String path, String token) throws Exception {
    return get(admin, path, token);
  }

  private static Reply get(AdminServer server, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
        .timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    String type = r.headers().firstValue("Content-Type").orElse("");
    return new Reply(r.statusCode(), type.startsWith("application/json") ? Json.mapper().readTree(r.body()) : null,
        r.body(), type);
  }

  private static String auditor() {
    return idp.token("sec-1", "security");
  }

  private static final List<String> PATHS = List.of("/api/v1/sessions", "/api/v1/sessions/ses_a",
      "/api/v1/sessions/ses_t/asciicast", "/api/v1/audit/search", "/api/v1/audit/verify");

  @Test
  void onlyAuditorsReadTheLogAndEveryoneElseLearnsNothing() throws Exception {
    for (String path : PATHS) {
      assertThat(get(path, null).status()).as(path).isEqualTo(401);
      assertThat(get(path, idp.forgedToken("sec-1")).status()).as(path).isEqualTo(401);
      Reply stranger = get(path, idp.token("alice", "readers", "dba"));
      assertThat(stranger.status()).as(path).isEqualTo(403);
      assertThat(stranger.json().path("error").asText())
          .isEqualTo("alice may not read the audit log (expected: a member of admin.auditors)");
      assertThat(stranger.text()).doesNotContain("ses_a", "customers");
      assertThat(get(path, auditor()).status()).as(path).isEqualTo(200);
      assertThat(get(path, idp.token("carol")).status()).as("user:carol on %s", path).isEqualTo(200);
    }
  }

  @Test
  void anEmptyAuditorListRefusesEveryone() throws Exception {
    try (AdminServer nobody = start(AuditReader.embeddedLive(auditDir), List.of())) {
      for (String path : PATHS) {
        Reply r = get(nobody, path, auditor());
        assertThat(r.status()).as(path).isEqualTo(403);
        assertThat(r.json().path("error").asText())
            .isEqualTo("nobody may read the audit log through the admin API (admin.auditors is empty)");
      }
    }
  }

  @Test
  void sessionsAreListedWithTheCliFilters() throws Exception {
    Reply all = get("/api/v1/sessions", auditor());
    assertThat(all.json().path("sessions")).extracting(n -> n.path("id").asText())
        .containsExactly("ses_a", "ses_b", "ses_t");
    JsonNode a = all.json().path("sessions").get(0);
    assertThat(a.path("subject").asText()).isEqualTo("alice");
    assertThat(a.path("requests").asLong()).isEqualTo(2);
    assertThat(a.path("denied").asLong()).isEqualTo(1);
    assertThat(a.path("approvals").asLong()).isEqualTo(1);
    assertThat(a.path("end_reason").asText()).isEqualTo("client_closed");

    assertThat(ids("/api/v1/sessions?verdict=deny")).containsExactly("ses_a");
    assertThat(ids("/api/v1/sessions?verdict=ALLOW")).containsExactly("ses_a", "ses_b");
    assertThat(ids("/api/v1/sessions?subject=bob")).containsExactly("ses_b");
    assertThat(ids("/api/v1/sessions?group=ops&protocol=ssh")).containsExactly("ses_t");
    assertThat(ids("/api/v1/sessions?target=elsewhere")).isEmpty();
    assertThat(ids("/api/v1/sessions?from=1h&subject=")).hasSize(3);
    assertThat(ids("/api/v1/sessions?to=1h")).isEmpty();
    assertThat(ids("/api/v1/sessions?from=" + Instant.now().plusSeconds(60))).isEmpty();
  }

  private List<String> ids(String path) throws Exception {
    Reply r = get(path, auditor());
    assertThat(r.status()).as("%s: %s", path, r.text()).isEqualTo(200);
    return r.json().path("sessions").findValuesAsText("id");
  }

  @Test
  void badFiltersAreRefusedRatherThanWidened() throws Exception {
    Reply verdict = get("/api/v1/sessions?verdict=maybe", auditor());
    assertThat(verdict.status()).isEqualTo(400);
    assertThat(verdict.json().path("error").asText()).isEqualTo("verdict: maybe (expected: allow or deny)");
    Reply typo = get("/api/v1/sessions?subjet=alice", auditor());
    assertThat(typo.status()).isEqualTo(400);
    assertThat(typo.json().path("error").asText()).isEqualTo(
        "query parameter subjet: unknown (expected: from, group, protocol, subject, target, to, verdict)");
    Reply time = get("/api/v1/audit/search?from=yesterday", auditor());
    assertThat(time.status()).isEqualTo(400);
    assertThat(time.json().path("error").asText()).startsWith("from: yesterday (expected: an ISO instant");
    assertThat(get("/api/v1/audit/verify?fast=1", auditor()).status()).isEqualTo(400);
  }

  @Test
  void aSessionShowsItsTimeline() throws Exception {
    Reply r = get("/api/v1/sessions/ses_a", auditor());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/session/id").asText()).isEqualTo("ses_a");
    JsonNode records = r.json().path("records");
    assertThat(records).extracting(n -> n.at("/event/kind").asText())
        .containsExactly("session_start", "request", "response", "request", "approval", "session_end");
    assertThat(records.get(3).at("/event/request/sql").asText()).isEqualTo("drop table orders");
    assertThat(records.get(3).at("/event/decision/allow").asBoolean()).isFalse();
    assertThat(records.get(3).at("/event/decision/reasons/0").asText())
        .isEqualTo("DROP is never allowed through the gateway");
    assertThat(records.get(2).at("/event/rows").asLong()).isEqualTo(50);
    assertThat(records.get(2).at("/event/masked_values").asLong()).isEqualTo(50);
    assertThat(records.get(0).path("seq").asLong()).isPositive();
    assertThat(records.get(0).path("hash").asText()).hasSize(64);

    Reply missing = get("/api/v1/sessions/ses_nope", auditor());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().path("error").asText()).isEqualTo("no session ses_nope in the audit log");
  }

  @Test
  void aTerminalSessionExportsAsAsciicastAndOthersDoNot() throws Exception {
    Reply cast = get("/api/v1/sessions/ses_t/asciicast", auditor());
    assertThat(cast.status()).isEqualTo(200);
    assertThat(cast.contentType()).isEqualTo(AuditRoutes.ASCIICAST);
    List<String> lines = cast.text().lines().toList();
    JsonNode header = Json.mapper().readTree(lines.get(0));
    assertThat(header.path("version").asInt()).isEqualTo(2);
    assertThat(header.path("width").asInt()).isEqualTo(100);
    assertThat(header.at("/env/TERM").asText()).isEqualTo("xterm-256color");
    assertThat(lines.subList(1, lines.size())).containsExactly("[0.001500,\"o\",\"$ \"]",
        "[0.250000,\"o\",\"uptime\\r\\n\"]");

    Reply sql = get("/api/v1/sessions/ses_a/asciicast", auditor());
    assertThat(sql.status()).isEqualTo(404);
    assertThat(sql.json().path("error").asText())
        .isEqualTo("session ses_a is not a terminal session (no asciicast to export)");
    assertThat(get("/api/v1/sessions/ses_nope/asciicast", auditor()).status()).isEqualTo(404);
  }

  @Test
  void searchFindsRequestsByTableCommandVerdictAndSubject() throws Exception {
    JsonNode customers = get("/api/v1/audit/search?table=customers", auditor()).json().path("requests");
    assertThat(customers).hasSize(2);
    assertThat(customers.get(0).path("text").asText()).isEqualTo("select * from customers");
    JsonNode denied = get("/api/v1/audit/search?verdict=deny", auditor()).json().path("requests");
    assertThat(denied).hasSize(1);
    assertThat(denied.get(0).path("subject").asText()).isEqualTo("alice");
    assertThat(denied.get(0).path("tables").get(0).asText()).isEqualTo("public.orders");
    assertThat(denied.get(0).path("reasons").get(0).asText()).isEqualTo("DROP is never allowed through the gateway");
    assertThat(get("/api/v1/audit/search?command=drop%20table&subject=alice", auditor()).json().path("requests"))
        .hasSize(1);
    assertThat(get("/api/v1/audit/search?subject=bob&verdict=deny", auditor()).json().path("requests")).isEmpty();
    assertThat(get("/api/v1/audit/search?session=ses_b", auditor()).json().path("requests")).hasSize(1);
  }

  @Test
  void verifyReportsAnIntactLogAndWhereATamperedOneBreaks() throws Exception {
    Reply ok = get("/api/v1/audit/verify", auditor());
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().path("ok").asBoolean()).isTrue();
    assertThat(ok.json().path("checkpoints").asLong()).isPositive();
    assertThat(ok.json().path("problems")).isEmpty();

    Path segment = segment();
    Files.writeString(segment, Files.readString(segment).replace("drop table orders", "select 1"));
    Reply broken = get("/api/v1/audit/verify", auditor());
    assertThat(broken.status()).isEqualTo(200);
    assertThat(broken.json().path("ok").asBoolean()).isFalse();
    JsonNode problem = broken.json().path("problems").get(0);
    assertThat(problem.path("kind").asText()).isEqualTo("edited");
    assertThat(problem.path("location").asText()).isEqualTo(segment.getFileName() + ":4");
    assertThat(problem.path("seq").asLong()).isEqualTo(4);
  }

  @Test
  void aLineTheRunningGatewayIsStillWritingIsNotTamperingButACrashedOnesIs() throws Exception {
    Files.writeString(segment(), "{\"event\":{\"kind\":\"sess", StandardOpenOption.APPEND);
    assertThat(get("/api/v1/audit/verify", auditor()).json().path("ok").asBoolean()).isTrue();
    assertThat(get("/api/v1/sessions", auditor()).json().path("sessions")).hasSize(3);
    try (AdminServer offline = start(AuditReader.embedded(auditDir), List.of("group:security"))) {
      JsonNode report = get(offline, "/api/v1/audit/verify", auditor()).json();
      assertThat(report.path("ok").asBoolean()).isFalse();
      assertThat(report.at("/problems/0/kind").asText()).isEqualTo("torn");
    }
  }

  @Test
  void aGatewayThatRecordsNothingSaysSo() throws Exception {
    try (AdminServer off = start(null, List.of("group:security"))) {
      Reply r = get(off, "/api/v1/sessions", auditor());
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.json().path("error").asText()).isEqualTo("this gateway records no audit log (audit.enabled: false)");
      assertThat(get(off, "/api/v1/sessions", idp.token("alice")).status()).isEqualTo(403);
    }
  }

  private Path segment() throws Exception {
    try (Stream<Path> files = Files.list(auditDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().findFirst().orElseThrow();
    }
  }
}
