package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.audit.ApprovalEvent;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.audit.AuditSettings;
import io.portcullis.audit.SessionEnded;
import io.portcullis.audit.SessionStarted;
import io.portcullis.json.Json;
import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyVerdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCliTest {

  @TempDir Path data;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final List<Duration> pauses = new ArrayList<>();

  @BeforeEach
  void record() throws Exception {
    PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    AuditCommand.out = print;
    SessionsCommand.out = print;
    SessionsCommand.sleeper = pauses::add;
    try (AuditRecorder audit = AuditRecorder.open(AuditSettings.defaults(), data, Map.of())) {
      session(audit, "ses_a", "alice", List.of("readers"), true);
      session(audit, "ses_b", "bob", List.of("ci"), false);
    }
  }

  @AfterEach
  void restore() {
    AuditCommand.out = System.out;
    SessionsCommand.out = System.out;
  }

  private static void session(AuditRecorder audit, String id, String subject, List<String> groups, boolean deny)
      throws Exception {
    audit.sessionStarted(new SessionStarted(id, "postgres", "demo", Instant.now(),
        new SessionStarted.Principal("https://idp", subject, groups, "oidc_jwt"),
        new SessionStarted.Source("127.0.0.1", 40000, true, null), null)).join();
    audit.request(id, 1, "query", input("SELECT * FROM customers", "SELECT", "customers"), verdict(true, "ok")).join();
    audit.requestCompleted(id, 1, 50L, 4096, 50, null, 900, null).join();
    Thread.sleep(30);
    if (deny) {
      audit.request(id, 2, "query", input("DROP TABLE orders", "DROP", "orders"),
          verdict(false, "DROP is never allowed through the gateway")).join();
      audit.approvalEvent(new ApprovalEvent(id, 2, "apr_1", "denied", "user:carol", List.of("group:dba"), "no")).join();
    }
    audit.sessionEnded(new SessionEnded(id, 40, "client_closed", null, deny ? 2 : 1, 1, deny ? 1 : 0)).join();
  }

  private static Map<String, Object> input(String sql, String command, String table) {
    return Map.of("version", 1, "request", Map.of("kind", "sql", "sql", sql, "statements",
        List.of(Map.of("command", command, "tables", List.of(Map.of("schema", "public", "name", table))))));
  }

  private static PolicyVerdict verdict(boolean allow, String reason) {
    return new PolicyVerdict(new Decision(allow, List.of(reason), null, null, null, null, null, false), "dec-" + reason.length(),
        "rev-1", PolicyVerdict.Source.OPA, 1000);
  }

  private int run(String... args) {
    bytes.reset();
    return Main.commandLine().execute(args);
  }

  private String out() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void verifySaysTheLogIsIntactAndExitsOneWhenItIsNot() throws Exception {
    assertThat(run("audit", "verify", "--data-dir", data.toString())).isZero();
    assertThat(out()).startsWith("audit log intact: 11 records (seq 1..11), 1 signed checkpoints");
    Path segment = Files.list(data.resolve("audit")).filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
    Files.writeString(segment, Files.readString(segment).replace("drop table orders", "select 1"));
    assertThat(run("audit", "verify", "--data-dir", data.toString(), "--json")).isEqualTo(1);
    JsonNode report = Json.mapper().readTree(out());
    assertThat(report.path("ok").asBoolean()).isFalse();
    assertThat(report.path("problems").get(0).path("kind").asText()).isEqualTo("edited");
    assertThat(report.path("problems").get(0).path("seq").asLong()).isEqualTo(4);
  }

  @Test
  void sessionsListFiltersBySubjectGroupAndVerdict() throws Exception {
    assertThat(run("sessions", "list", "--data-dir", data.toString(), "--json")).isZero();
    assertThat(Json.mapper().readTree(out())).hasSize(2);
    run("sessions", "list", "--data-dir", data.toString(), "--json", "--verdict", "deny");
    JsonNode denied = Json.mapper().readTree(out());
    assertThat(denied).hasSize(1);
    assertThat(denied.get(0).path("id").asText()).isEqualTo("ses_a");
    assertThat(denied.get(0).path("denied").asLong()).isEqualTo(1);
    assertThat(denied.get(0).path("end_reason").asText()).isEqualTo("client_closed");
    run("sessions", "list", "--data-dir", data.toString(), "--json", "--group", "ci", "--since", "1h");
    assertThat(Json.mapper().readTree(out())).extracting(n -> n.path("subject").asText()).containsExactly("bob");
    run("sessions", "list", "--data-dir", data.toString(), "--protocol", "ssh", "--json");
    assertThat(Json.mapper().readTree(out())).isEmpty();
    run("sessions", "list", "--data-dir", data.toString());
    assertThat(out()).contains("SESSION").contains("ses_a").contains("alice").contains("client_closed");
  }

  @Test
  void anUnknownVerdictOrTimeIsRefusedNotReadAsDeny() {
    assertThat(run("sessions", "list", "--data-dir", data.toString(), "--verdict", "maybe")).isEqualTo(2);
    assertThat(run("audit", "search", "--data-dir", data.toString(), "--verdict", "denied")).isEqualTo(2);
    assertThat(run("audit", "search", "--data-dir", data.toString(), "--from", "yesterday")).isEqualTo(2);
    assertThat(out()).isEmpty();
    assertThat(run("audit", "search", "--data-dir", data.toString(), "--verdict", "DENY", "--from", "1h")).isZero();
    assertThat(out()).contains("drop table orders");
  }

  @Test
  void sessionsShowPrintsTheTimeline() {
    assertThat(run("sessions", "show", "ses_a", "--data-dir", data.toString())).isZero();
    assertThat(out()).contains("session start  alice [readers] from 127.0.0.1:40000 tls to demo (postgres)")
        .contains("request #1  ALLOW  select * from customers")
        .contains("response #1  50 rows, 4096 bytes, 50 masked")
        .contains("request #2  DENY   drop table orders  reasons: DROP is never allowed through the gateway")
        .contains("approval apr_1  denied by user:carol: no")
        .contains("session end  client_closed");
    assertThat(run("sessions", "show", "ses_nope", "--data-dir", data.toString())).isEqualTo(1);
  }

  @Test
  void replayPausesAtTheOriginalPaceOrFaster() {
    assertThat(run("sessions", "replay", "ses_a", "--data-dir", data.toString())).isZero();
    assertThat(out().lines().toList()).hasSize(6).anySatisfy(l -> assertThat(l).contains("DENY   drop table orders"));
    Duration atPace = pauses.stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(atPace).isGreaterThanOrEqualTo(Duration.ofMillis(30));
    pauses.clear();
    run("sessions", "replay", "ses_a", "--data-dir", data.toString(), "--speed", "10");
    Duration faster = pauses.stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(faster.toNanos()).isBetween(atPace.toNanos() / 10 - 1000, atPace.toNanos() / 10 + 1000);
  }

  @Test
  void searchFindsRequestsByCommandTableAndSubject() throws Exception {
    run("audit", "search", "--data-dir", data.toString(), "--table", "customers", "--json");
    assertThat(Json.mapper().readTree(out())).hasSize(2);
    run("audit", "search", "--data-dir", data.toString(), "--command", "drop", "--json");
    JsonNode drops = Json.mapper().readTree(out());
    assertThat(drops).hasSize(1);
    assertThat(drops.get(0).path("subject").asText()).isEqualTo("alice");
    assertThat(drops.get(0).path("tables").get(0).asText()).isEqualTo("public.orders");
    run("audit", "search", "--data-dir", data.toString(), "--subject", "bob", "--verdict", "deny", "--json");
    assertThat(Json.mapper().readTree(out())).isEmpty();
    run("audit", "search", "--data-dir", data.toString(), "--verdict", "deny");
    assertThat(out()).contains("DENY  drop table orders  (DROP is never allowed through the gateway)");
  }
}
