package io.portcullis.admin;

import static io.portcullis.approval.Approvals.document;
import static io.portcullis.approval.Approvals.holdVisible;
import static io.portcullis.approval.Approvals.who;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.approval.ApprovalOutcome;
import io.portcullis.approval.ApprovalRequest;
import io.portcullis.approval.ApprovalState;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.GatewayConfig;
import io.portcullis.gateway.Gateway;
import io.portcullis.identity.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The gateway starts the admin API from its configuration and keeps approvals across restarts. */
@Timeout(60)
class GatewayAdminTest {

  @TempDir Path dataDir;

  private GatewayConfig config(TestIssuer idp, String admin) throws Exception {
    return ConfigLoader.parse("test", """
        listen: {postgres: 127.0.0.1:0, allow_cleartext_on_loopback: true}
        identity: {issuer: %s, audiences: [portcullis], jwks_url: %s}
        opa: {url: http://127.0.0.1:1}
        targets:
          - {name: demo, protocol: postgres, host: 127.0.0.1, port: 5432, database: demo, user: gw}
        log: {decisions: %s}
        data_dir: %s
        %s
        """.formatted(idp.issuer(), idp.jwksUrl(), dataDir.resolve("decisions.log"), dataDir,
        admin));
  }

  @Test
  void theAdminApiStartsWithTheGatewayAndApprovalsSurviveARestart() throws Exception {
    try (TestIssuer idp = TestIssuer.start()) {
      ApprovalRequest request;
      try (Gateway gateway = Gateway.start(config(idp, "admin: {listen: 127.0.0.1:0}"), Map.of())) {
        assertThat(gateway.adminPort()).isPositive();
        request = gateway.approvals().request(document(who("alice", "dev"), "DROP TABLE t"),
            "DROP TABLE t", List.of(), List.of("group:dba"), null);
        assertThat(gateway.approvals().links().instructions(request.id())).isEqualTo(
            "an approver can run: portcullis approvals approve " + request.id()
                + " --admin-url http://127.0.0.1:" + gateway.adminPort() + " (or POST http://127.0.0.1:"
                + gateway.adminPort() + "/api/v1/approvals/" + request.id() + "/approve)");
        CompletableFuture<ApprovalOutcome> outcome = holdVisible(gateway.approvals(), request);

        HttpResponse<String> health = send(gateway, "GET", "/healthz", null);
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> approved = send(gateway, "POST",
            "/api/v1/approvals/" + request.id() + "/approve", idp.token("bob", "dba"));
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(ApprovalOutcome.Approved.class);
      }
      try (Gateway gateway = Gateway.start(config(idp, ""), Map.of())) {
        assertThat(gateway.adminPort()).isEqualTo(-1);
        assertThat(gateway.approvals().get(request.id()).state()).isEqualTo(ApprovalState.APPROVED);
        assertThat(gateway.approvals().links().instructions(request.id()))
            .contains("this gateway has no admin API (admin.listen)");
      }
    }
  }

  @Test
  void theGatewayServesItsOwnAuditLogToAuditorsOnly() throws Exception {
    try (TestIssuer idp = TestIssuer.start();
        Gateway gateway = Gateway.start(config(idp, "admin: {listen: 127.0.0.1:0, auditors: [group:security]}"),
            Map.of())) {
      HttpResponse<String> sessions = send(gateway, "GET", "/api/v1/sessions", idp.token("sec-1", "security"));
      assertThat(sessions.statusCode()).as(sessions.body()).isEqualTo(200);
      assertThat(sessions.body()).isEqualTo("{\"sessions\":[]}");
      HttpResponse<String> verify = send(gateway, "GET", "/api/v1/audit/verify", idp.token("sec-1", "security"));
      assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
      assertThat(verify.body()).contains("\"ok\":true");
      assertThat(send(gateway, "GET", "/api/v1/sessions", idp.token("bob", "dba")).statusCode()).isEqualTo(403);
    }
  }

  private static HttpResponse<String> send(Gateway gateway, String method, String path,
      String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
