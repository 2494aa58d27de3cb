package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.audit.AuditQueries;
import io.portcullis.audit.AuditReader;
import io.portcullis.audit.AuditSettings;
import io.portcullis.audit.SessionSummary;
import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log end to end: psql sessions through the gateway are listed, shown, replayed and
 * searched by the real CLI and through the admin API; a tampered copy of the log (an edited field,
 * a deleted line, two lines swapped, the tail cut) fails {@code audit verify}, which names where;
 * an agent's session is recorded in full, masked; no token ever reaches the data directory.
 */
class AuditIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String EMAIL_1 = "customer1@example.com";
  private static final String MASKED_EMAIL_1 = "*".repeat(EMAIL_1.length() - 4) + ".com";

  private static OpaServer opa;
  private static GatewayFixture gw;
  private static final List<String> tokens = new ArrayList<>();
  private static String readerSession;
  private static String agentSession;

  @TempDir static Path copies;

  @BeforeAll
  static void sessions() throws Exception {
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    // Checkpoints every few records, so that the log has several and its tail can be cut after one.
    gw = GatewayFixture.startWithAdmin(PostgresServer.shared(), opa.url(), "auditors: [group:security]",
        "audit: {checkpoint_every_records: 5}");
    String reader = token("audit-ci", "readers");
    Processes.Result r = gw.psql(reader, """
        SELECT count(*) FROM orders WHERE id > 3;
        DROP TABLE orders;
        SELECT id, email FROM customers WHERE id <= 2 ORDER BY id;
        """, "-tA");
    assertThat(r.stderr()).contains("DROP is never allowed through the gateway");
    assertThat(r.stdout()).contains("1|" + MASKED_EMAIL_1).doesNotContain(EMAIL_1);
    Processes.Result a = gw.psql(token("audit-agent", "readers", "agents"),
        "SELECT id, email FROM customers WHERE id = 1;\n", "-tA");
    assertThat(a.stdout()).contains("1|" + MASKED_EMAIL_1);
    readerSession = endedSession("audit-ci");
    agentSession = endedSession("audit-agent");
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (opa != null) {
      opa.close();
    }
  }

  private static String token(String subject, String... groups) {
    String token = gw.token(subject, groups);
    tokens.add(token);
    return token;
  }

  /** The id of {@code subject}'s one session, once its end is on record (at most 15 s). */
  private static String endedSession(String subject) throws Exception {
    for (int i = 0; i < 150; i++) {
      List<SessionSummary> found = new AuditQueries(AuditReader.embeddedLive(auditDir(gw.dataDir())).records())
          .sessions(new AuditQueries.SessionFilter(subject, null, null, null, null, null, null));
      if (found.size() == 1 && found.get(0).endReason() != null) {
        return found.get(0).id();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no ended session of " + subject + " in the audit log");
  }

  private static Path auditDir(Path dataDir) {
    return AuditSettings.directory(dataDir);
  }

  private static Processes.Result cli(Path dataDir, String... args) throws IOException {
    Path jar;
    try (Stream<Path> files = Files.list(Repo.root().resolve("pep-proxy/target"))) {
      jar = files.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("pep-proxy/target/*-all.jar is not built"));
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--data-dir", dataDir.toString()));
    return Processes.run(command, Map.of(), null, Duration.ofSeconds(60));
  }

  private static Processes.Result cli(String... args) throws IOException {
    Processes.Result r = cli(gw.dataDir(), args);
    assertThat(r.exitCode()).as("portcullis %s: %s", String.join(" ", args), r.output()).isZero();
    return r;
  }

  private static JsonNode api(String path, String token) throws Exception {
    HttpResponse<String> r = apiCall(path, token);
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> apiCall(String path, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(gw.adminUrl() + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String auditor() {
    return token("sec-1", "security");
  }

  @Test
  void sessionsListFindsTheSessionBySubjectAndVerdict() throws Exception {
    Processes.Result text = cli("sessions", "list", "--subject", "audit-ci");
    assertThat(text.stdout()).contains("SESSION", readerSession, "audit-ci", "demo", "postgres", "client_closed")
        .doesNotContain(agentSession);
    JsonNode denied = JSON.readTree(cli("sessions", "list", "--verdict", "deny", "--json").stdout());
    assertThat(denied.findValuesAsText("id")).contains(readerSession).doesNotContain(agentSession);
    JsonNode mine = JSON.readTree(cli("sessions", "list", "--subject", "audit-ci", "--verdict", "deny",
        "--from", "1h", "--json").stdout());
    assertThat(mine).hasSize(1);
    assertThat(mine.get(0).path("requests").asLong()).isEqualTo(3);
    assertThat(mine.get(0).path("allowed").asLong()).isEqualTo(2);
    assertThat(mine.get(0).path("denied").asLong()).isEqualTo(1);
    assertThat(mine.get(0).path("groups").toString()).isEqualTo("[\"readers\"]");
    assertThat(JSON.readTree(cli("sessions", "list", "--subject", "audit-agent", "--verdict", "deny", "--json")
        .stdout())).isEmpty();
    assertThat(JSON.readTree(cli("sessions", "list", "--subject", "audit-agent", "--group", "agents", "--json")
        .stdout()).findValuesAsText("id")).containsExactly(agentSession);
  }

  @Test
  void sessionsShowGivesEveryStatementWithoutLiteralsItsVerdictReasonsAndCounts() throws Exception {
    String out = cli("sessions", "show", readerSession).stdout();
    assertThat(out).contains("session start  audit-ci [readers] from 127.0.0.1:", " to demo (postgres)")
        .contains("request #1  ALLOW  select count ( * ) from orders where id > ?")
        .contains("request #2  DENY   drop table orders  reasons: DROP is never allowed through the gateway")
        .contains("request #3  ALLOW  select id , email from customers where id <= ? order by id")
        .contains("response #1  1 rows, ")
        .contains("response #3  2 rows, ")
        .contains(", 2 masked")
        .contains("session end  client_closed");
    assertThat(out).doesNotContain("> 3", "<= 2", EMAIL_1, MASKED_EMAIL_1);
    assertThat(out.lines().filter(l -> l.contains("  request #")).count()).isEqualTo(3);
  }

  @Test
  void replayPlaysEachStatementAndVerdictInOrder() throws Exception {
    List<String> lines = cli("sessions", "replay", readerSession, "--speed", "1000").stdout().lines().toList();
    assertThat(lines.get(0)).startsWith("+0.000s  session start  audit-ci");
    assertThat(lines.get(lines.size() - 1)).contains("session end  client_closed");
    List<String> requests = lines.stream().filter(l -> l.contains("  request #")).toList();
    assertThat(requests).hasSize(3);
    assertThat(requests.get(0)).contains("request #1  ALLOW  select count");
    assertThat(requests.get(1)).contains("request #2  DENY   drop table orders");
    assertThat(requests.get(2)).contains("request #3  ALLOW  select id , email from customers");
    assertThat(lines).allSatisfy(l -> assertThat(l).matches("\\+\\d+\\.\\d{3}s  .*"));
  }

  @Test
  void auditSearchFindsByTableAndVerdict() throws Exception {
    JsonNode customers = JSON.readTree(cli("audit", "search", "--table", "customers", "--json").stdout());
    assertThat(customers.findValuesAsText("session_id")).containsExactlyInAnyOrder(readerSession, agentSession);
    assertThat(customers).allSatisfy(hit -> assertThat(hit.path("tables").toString()).contains("customers"));
    JsonNode denied = JSON.readTree(cli("audit", "search", "--verdict", "deny", "--json").stdout());
    assertThat(denied).hasSize(1);
    assertThat(denied.get(0).path("text").asText()).isEqualTo("drop table orders");
    assertThat(denied.get(0).path("subject").asText()).isEqualTo("audit-ci");
    assertThat(denied.get(0).path("reasons").get(0).asText()).isEqualTo("DROP is never allowed through the gateway");
    assertThat(denied.get(0).path("decision_id").asText()).isNotEmpty();
    assertThat(cli("audit", "search", "--verdict", "deny").stdout())
        .contains("DENY  drop table orders  (DROP is never allowed through the gateway)");
  }

  @Test
  void theAdminApiAnswersWhatTheCliPrints() throws Exception {
    String auditor = auditor();
    JsonNode sessions = api("/api/v1/sessions?subject=audit-ci&verdict=deny&from=1h", auditor);
    assertThat(sessions.path("sessions").findValuesAsText("id")).containsExactly(readerSession);
    assertThat(sessions.path("sessions").get(0))
        .isEqualTo(JSON.readTree(cli("sessions", "list", "--subject", "audit-ci", "--json").stdout()).get(0));

    JsonNode timeline = api("/api/v1/sessions/" + readerSession, auditor);
    assertThat(timeline.at("/session/denied").asLong()).isEqualTo(1);
    assertThat(timeline.path("records"))
        .isEqualTo(JSON.readTree(cli("sessions", "show", readerSession, "--json").stdout()));
    List<JsonNode> requests = new ArrayList<>();
    timeline.path("records").forEach(r -> {
      if (r.at("/event/kind").asText().equals("request")) {
        requests.add(r.path("event"));
      }
    });
    assertThat(requests).extracting(r -> r.at("/request/sql").asText()).containsExactly(
        "select count ( * ) from orders where id > ?", "drop table orders",
        "select id , email from customers where id <= ? order by id");
    assertThat(requests).extracting(r -> r.at("/decision/allow").asBoolean()).containsExactly(true, false, true);
    assertThat(requests.get(1).at("/decision/decision_id").asText()).isNotEmpty();
    assertThat(requests.get(0).path("input_sha256").asText()).matches("[0-9a-f]{64}");

    HttpResponse<String> cast = apiCall("/api/v1/sessions/" + readerSession + "/asciicast", auditor);
    assertThat(cast.statusCode()).isEqualTo(404);
    assertThat(cast.body()).contains("is not a terminal session");

    JsonNode search = api("/api/v1/audit/search?table=customers", auditor);
    assertThat(search.path("requests"))
        .isEqualTo(JSON.readTree(cli("audit", "search", "--table", "customers", "--json").stdout()));
    JsonNode deny = api("/api/v1/audit/search?verdict=deny", auditor);
    assertThat(deny.path("requests").findValuesAsText("text")).containsExactly("drop table orders");

    JsonNode verify = api("/api/v1/audit/verify", auditor);
    assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
    assertThat(verify.path("checkpoints").asLong()).isPositive();

    HttpResponse<String> reader = apiCall("/api/v1/sessions", token("audit-ci", "readers"));
    assertThat(reader.statusCode()).isEqualTo(403);
    assertThat(reader.body()).doesNotContain(readerSession);
  }

  @Test
  void anAgentsSessionIsRecordedInFullAsTheClientReceivedIt() throws Exception {
    JsonNode records = JSON.readTree(cli("sessions", "show", agentSession, "--json").stdout());
    JsonNode request = null;
    JsonNode response = null;
    for (JsonNode r : records) {
      switch (r.at("/event/kind").asText()) {
        case "request" -> request = r.path("event");
        case "response" -> response = r.path("event");
        default -> { }
      }
    }
    assertThat(request).isNotNull();
    assertThat(request.at("/decision/record").asText()).isEqualTo("full");
    assertThat(response).as(records.toString()).isNotNull();
    assertThat(response.path("masked_values").asLong()).isEqualTo(1);
    assertThat(response.path("capture").asText()).contains(MASKED_EMAIL_1).doesNotContain(EMAIL_1);
    assertThat(response.path("capture_truncated").asBoolean()).isFalse();
    // A reader's session is recorded as metadata: counts, no response text.
    JsonNode reader = JSON.readTree(cli("sessions", "show", readerSession, "--json").stdout());
    assertThat(reader.findValues("capture")).allSatisfy(c -> assertThat(c.isNull()).isTrue());
    assertThat(everyFile(gw.dataDir())).doesNotContain(EMAIL_1);
  }

  @Test
  void noTokenEverReachesTheDataDirectory() throws Exception {
    String auditor = auditor(); // the API's callers too
    api("/api/v1/sessions/" + readerSession, auditor);
    api("/api/v1/audit/verify", auditor);
    String everything = everyFile(gw.dataDir());
    assertThat(tokens).isNotEmpty().allSatisfy(token -> {
      assertThat(everything).doesNotContain(token);
      assertThat(everything).doesNotContain(token.substring(token.lastIndexOf('.') + 1)); // the signature
    });
    assertThat(gw.decisionLog()).doesNotContain(tokens.get(0));
  }

  private static String everyFile(Path dir) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    return all.toString();
  }

  // ---- tampering, each on a copy of the data directory ----

  @Test
  void theUntouchedLogVerifies() throws Exception {
    Path copy = copyOfData("untouched");
    Processes.Result r = cli(copy, "audit", "verify");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).startsWith("audit log intact: ");
    assertThat(cli("audit", "verify").stdout()).startsWith("audit log intact: ");
  }

  @Test
  void anEditedFieldIsCaughtWithItsSegmentLineAndSeq() throws Exception {
    Path copy = copyOfData("edited");
    Segment s = Segment.of(copy);
    int at = s.lineContaining("drop table orders");
    s.lines.set(at, s.lines.get(at).replace("\"allow\":false", "\"allow\":true"));
    s.write();
    Processes.Result r = cli(copy, "audit", "verify");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.stdout()).contains("audit log BROKEN")
        .contains("edited at " + s.name() + ":" + (at + 1) + " (seq " + s.seq(at) + "): content does not match its hash");
  }

  @Test
  void aDeletedLineIsCaught() throws Exception {
    Path copy = copyOfData("deleted");
    Segment s = Segment.of(copy);
    int at = s.lineContaining("drop table orders");
    long seq = s.seq(at);
    s.lines.remove(at);
    s.write();
    Processes.Result r = cli(copy, "audit", "verify");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.stdout()).contains("deleted at " + s.name() + ":" + (at + 1) + " (seq " + seq + "): record "
        + seq + " missing between " + s.name() + ":" + at + " and " + s.name() + ":" + (at + 1));
  }

  @Test
  void twoSwappedLinesAreCaught() throws Exception {
    Path copy = copyOfData("swapped");
    Segment s = Segment.of(copy);
    int at = s.lineContaining("drop table orders");
    long first = s.seq(at);
    String line = s.lines.get(at);
    s.lines.set(at, s.lines.get(at + 1));
    s.lines.set(at + 1, line);
    s.write();
    Processes.Result r = cli(copy, "audit", "verify");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.stdout()).contains("reordered at " + s.name() + ":" + (at + 2) + " (seq " + first + "): seq "
        + first + " stored after seq " + (first + 1));
  }

  @Test
  void aTailCutAfterTheLastCheckpointIsCaught() throws Exception {
    Path copy = copyOfData("truncated");
    Segment s = Segment.of(copy);
    long headSeq = JSON.readTree(Files.readString(auditDir(copy).resolve("checkpoint.json"))).path("seq").asLong();
    int head = -1;
    for (int i = 0; i < s.lines.size(); i++) {
      if (s.seq(i) == headSeq) {
        head = i;
      }
    }
    assertThat(head).as("the signed head's checkpoint in the log").isGreaterThanOrEqualTo(3);
    assertThat(s.lines.get(head)).contains("\"kind\":\"checkpoint\"");
    // Cut the log back to two records before its latest checkpoint, as someone hiding them would.
    List<String> kept = new ArrayList<>(s.lines.subList(0, head - 2));
    long endsAt = s.seq(head - 3);
    s.lines.clear();
    s.lines.addAll(kept);
    s.write();
    Processes.Result r = cli(copy, "audit", "verify");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.stdout()).contains("truncated at checkpoint.json (seq " + headSeq + "): truncated after checkpoint")
        .contains("the log ends at seq " + endsAt + " but the signed head in checkpoint.json attests seq " + headSeq);
  }

  /** A copy of the data directory, checkpoint.json first: the live log is never shorter than its head. */
  private static Path copyOfData(String name) throws IOException {
    Path source = gw.dataDir();
    Path target = copies.resolve(name);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(source)) {
      files = walk.sorted(Comparator.comparing((Path p) -> !p.getFileName().toString().equals("checkpoint.json"))
          .thenComparing(Comparator.naturalOrder())).toList();
    }
    for (Path f : files) {
      Path to = target.resolve(source.relativize(f).toString());
      if (Files.isDirectory(f)) {
        Files.createDirectories(to);
      } else {
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
    return target;
  }

  /** The newest segment file of a copied log, as lines to tamper with. */
  private record Segment(Path file, List<String> lines) {
    static Segment of(Path dataDir) throws IOException {
      try (Stream<Path> files = Files.list(auditDir(dataDir))) {
        Path file = files.filter(p -> p.getFileName().toString().matches("segment-\\d+\\.jsonl"))
            .max(Comparator.naturalOrder()).orElseThrow();
        return new Segment(file, new ArrayList<>(Files.readAllLines(file)));
      }
    }

    String name() {
      return file.getFileName().toString();
    }

    int lineContaining(String text) {
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(text)) {
          return i;
        }
      }
      throw new AssertionError("no line with " + text + " in " + file);
    }

    long seq(int index) {
      try {
        return JSON.readTree(lines.get(index)).path("seq").asLong();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    void write() throws IOException {
      Files.writeString(file, String.join("\n", lines) + "\n");
    }
  }
}
