package io.portcullis.admin;

import static io.portcullis.approval.Approvals.document;
import static io.portcullis.approval.Approvals.holdVisible;
import static io.portcullis.approval.Approvals.who;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.approval.ApprovalNotifier;
import io.portcullis.approval.ApprovalOutcome;
import io.portcullis.approval.ApprovalRequest;
import io.portcullis.approval.ApprovalService;
import io.portcullis.approval.ApprovalSettings;
import io.portcullis.approval.Approvals;
import io.portcullis.approval.FileApprovalStore;
import io.portcullis.identity.TestIssuer;
import io.portcullis.json.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@Timeout(30)
class AdminServerTest {

  private static TestIssuer idp;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dataDir;
  private final Approvals.MutableClock clock =
      new Approvals.MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private ApprovalService approvals;
  private AdminServer admin;
  private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();

  record Reply(int status, JsonNode json, String text, HttpResponse<String> raw) {}

  @BeforeAll
  static void issuer() throws Exception {
    idp = TestIssuer.start();
  }

  @AfterAll
  static void stopIssuer() {
    idp.close();
  }

  @BeforeEach
  void start() throws Exception {
    approvals = ApprovalService.start(ApprovalSettings.defaults(),
        FileApprovalStore.inDataDir(dataDir), ApprovalNotifier.none(), clock);
    admin = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        idp.verifier(), ApprovalRoutes.of(approvals));
    logLines.start();
    ((Logger) LoggerFactory.getLogger(AdminServer.class)).addAppender(logLines);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(AdminServer.class)).detachAppender(logLines);
    admin.close();
    approvals.close();
  }

  private ApprovalRequest held(String requester, String... groups) {
    ApprovalRequest request = approvals.request(document(who(requester, groups), "DROP TABLE t"),
        "DROP TABLE t", List.of("DDL needs a second person"), List.of("group:dba", "user:carol"),
        null);
    holdVisible(approvals, request);
    return request;
  }

  private Reply call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin.url() + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", token.contains(" ") ? token : "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
        ? Json.mapper().readTree(r.body()) : null;
    return new Reply(r.statusCode(), json, r.body(), r);
  }

  private Reply get(String path, String token) throws Exception {
    return call("GET", path, token, null);
  }

  private Reply post(String path, String token, String body) throws Exception {
    return call("POST", path, token, body);
  }

  @Test
  void healthNeedsNoToken() throws Exception {
    Reply r = get("/healthz", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("ok");
  }

  @Test
  void everyApiCallNeedsAValidTokenAndNoTokenIsEverEchoed() throws Exception {
    String expired = idp.expiredToken("bob");
    String forged = idp.forgedToken("bob");
    for (String token : new String[] {null, "Basic Ym9iOmJvYg==", expired, forged, "not-a-jwt"}) {
      for (String path : List.of("/api/v1/approvals", "/api/v1/approvals/apr_x", "/nowhere")) {
        Reply r = get(path, token);
        assertThat(r.status()).as("%s with %s", path, token).isEqualTo(401);
        assertThat(r.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(r.json().path("error").asText()).isNotEmpty();
        if (token != null) {
          assertThat(r.text()).doesNotContain(token);
        }
      }
    }
    assertThat(get("/api/v1/approvals", expired).json().path("error").asText())
        .startsWith("invalid token: ");
    assertThat(logLines.list).allSatisfy(e -> {
      assertThat(e.getFormattedMessage()).doesNotContain(expired).doesNotContain(forged);
      assertThat(e.getFormattedMessage()).contains("subject=-", "status=401");
    });
  }

  @Test
  void approversListAndInspectRequestsByState() throws Exception {
    ApprovalRequest first = held("alice", "dev");
    ApprovalRequest second = held("alice", "dev");
    approvals.deny(second.id(), who("carol"), "no");
    String bob = idp.token("bob", "dba");

    Reply pending = get("/api/v1/approvals?state=pending", bob);
    assertThat(pending.status()).isEqualTo(200);
    assertThat(pending.json().path("approvals")).hasSize(1);
    JsonNode only = pending.json().path("approvals").get(0);
    assertThat(only.path("id").asText()).isEqualTo(first.id());
    assertThat(only.path("state").asText()).isEqualTo("pending");
    assertThat(only.at("/requester/subject").asText()).isEqualTo("alice");
    assertThat(only.path("expires_at").asText()).isEqualTo("2026-03-01T10:15:00Z");
    assertThat(get("/api/v1/approvals?state=all", bob).json().path("approvals")).hasSize(2);
    assertThat(get("/api/v1/approvals", bob).json().path("approvals")).hasSize(2);
    assertThat(get("/api/v1/approvals?state=denied", bob).json().at("/approvals/0/outcome/reason")
        .asText()).isEqualTo("no");

    Reply one = get("/api/v1/approvals/" + first.id(), bob);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().at("/request_document/request/sql").asText()).isEqualTo("DROP TABLE t");
    assertThat(one.json().at("/reasons/0").asText()).isEqualTo("DDL needs a second person");

    assertThat(get("/api/v1/approvals/apr_aaaaaaaaaaaaaaaaaaaa", bob).status()).isEqualTo(404);
    Reply bad = get("/api/v1/approvals?state=maybe", bob);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("error").asText()).isEqualTo(
        "state: maybe (expected: pending, approved, denied, expired, cancelled or all)");
  }

  @Test
  void anApproverApprovesAndTheHeldRequestLearnsIt() throws Exception {
    ApprovalRequest request = approvals.request(document(who("alice", "dev"), "DROP TABLE t"),
        "DROP TABLE t", List.of(), List.of("group:dba"), null);
    CompletableFuture<ApprovalOutcome> outcome = holdVisible(approvals, request);

    Reply r = post("/api/v1/approvals/" + request.id() + "/approve", idp.token("bob", "dba"),
        "{\"comment\": \"ticket OPS-1\"}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("state").asText()).isEqualTo("approved");
    assertThat(r.json().at("/outcome/by").asText()).isEqualTo("bob");
    assertThat(outcome.get(10, TimeUnit.SECONDS))
        .isEqualTo(new ApprovalOutcome.Approved("bob", clock.instant(), "ticket OPS-1"));
    assertThat(logLines.list).extracting(ILoggingEvent::getFormattedMessage).anySatisfy(line ->
        assertThat(line).startsWith("admin POST /api/v1/approvals/" + request.id()
            + "/approve subject=bob status=200"));
  }

  @Test
  void anApprovalWithoutBodyIsFineButADenialNeedsAReason() throws Exception {
    String bob = idp.token("bob", "dba");
    ApprovalRequest a = held("alice", "dev");
    ApprovalRequest d = held("alice", "dev");

    assertThat(post("/api/v1/approvals/" + a.id() + "/approve", bob, null).status()).isEqualTo(200);
    Reply noReason = post("/api/v1/approvals/" + d.id() + "/deny", bob, null);
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.json().path("error").asText()).startsWith("reason: missing");
    assertThat(post("/api/v1/approvals/" + d.id() + "/deny", bob, "{\"reason\": 7").status())
        .isEqualTo(400);
    Reply denied = post("/api/v1/approvals/" + d.id() + "/deny", bob, "{\"reason\": \"freeze\"}");
    assertThat(denied.status()).isEqualTo(200);
    assertThat(denied.json().at("/outcome/reason").asText()).isEqualTo("freeze");
  }

  @Test
  void refusalsMapToTheirStatuses() throws Exception {
    ApprovalRequest request = held("alice", "dba");
    String path = "/api/v1/approvals/" + request.id() + "/approve";

    Reply self = post(path, idp.token("alice", "dba"), null);
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.json().path("error").asText()).contains("alice requested it and may not decide it");
    assertThat(post(path, idp.token("dave", "dev"), null).status()).isEqualTo(403);
    assertThat(post("/api/v1/approvals/apr_aaaaaaaaaaaaaaaaaaaa/approve", idp.token("bob", "dba"),
        null).status()).isEqualTo(404);

    assertThat(post(path, idp.token("carol"), null).status()).isEqualTo(200);
    Reply again = post(path, idp.token("bob", "dba"), null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().path("error").asText())
        .isEqualTo("approval " + request.id() + " is not pending: approved by carol");

    ApprovalRequest late = held("alice", "dev");
    clock.advance(Duration.ofSeconds(901));
    Reply expired = post("/api/v1/approvals/" + late.id() + "/approve", idp.token("bob", "dba"), null);
    assertThat(expired.status()).isEqualTo(410);
    assertThat(expired.json().path("error").asText())
        .isEqualTo("approval " + late.id() + " expired at " + late.expiresAt());
  }

  @Test
  void wrongMethodsUnknownPathsAndHugeBodiesAreRefused() throws Exception {
    String bob = idp.token("bob", "dba");
    Reply wrong = call("DELETE", "/api/v1/approvals", bob, null);
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.raw().headers().firstValue("Allow")).contains("GET");
    assertThat(get("/api/v1/approvals/apr_x/approve", bob).status()).isEqualTo(405);
    assertThat(get("/api/v2/anything", bob).status()).isEqualTo(404);
    ApprovalRequest request = held("alice", "dev");
    Reply huge = post("/api/v1/approvals/" + request.id() + "/approve", bob,
        "{\"comment\": \"" + "x".repeat(AdminServer.MAX_BODY_BYTES) + "\"}");
    assertThat(huge.status()).isEqualTo(413);
    assertThat(approvals.get(request.id()).outcome()).isNull();
  }
}
