package io.portcullis.approval;

import static io.portcullis.approval.Approvals.document;
import static io.portcullis.approval.Approvals.who;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ApprovalNotifierTest {

  private static final ApprovalLinks LINKS = new ApprovalLinks("http://127.0.0.1:9090");

  private HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();

  record Received(String path, String contentType, JsonNode body) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/", exchange -> {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (failuresLeft.getAndDecrement() > 0) {
          exchange.sendResponseHeaders(503, -1);
          return;
        }
        received.add(new Received(exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Content-Type"), Json.mapper().readTree(body)));
        exchange.sendResponseHeaders(204, -1);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static ApprovalRequest pending() {
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    return ApprovalRequest.pending("apr_abcdefghijklmnopqrst", now, now.plusSeconds(900),
        document(who("alice", "dev"), "DELETE FROM users WHERE id = 7"),
        "DELETE FROM users WHERE id = $1", List.of("writes need a second person"),
        List.of("group:dba"));
  }

  private Received next() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    assertThat(r).as("webhook called in time").isNotNull();
    return r;
  }

  @Test
  void theJsonWebhookGetsTheEventAndHowToDecideButNotTheDocument() throws Exception {
    try (var notifier = new ApprovalNotifier(List.of(new Webhook(url("/hook"), "json")), LINKS)) {
      notifier.announce(pending()).get(10, TimeUnit.SECONDS);
    }
    Received r = next();
    JsonNode body = r.body();
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(body.path("type").asText()).isEqualTo("approval");
    assertThat(body.path("id").asText()).isEqualTo("apr_abcdefghijklmnopqrst");
    assertThat(body.path("state").asText()).isEqualTo("pending");
    assertThat(body.path("session_id").asText()).isEqualTo("ses_test1");
    assertThat(body.path("target").asText()).isEqualTo("orders-db");
    assertThat(body.at("/requester/subject").asText()).isEqualTo("alice");
    assertThat(body.at("/requester/groups/0").asText()).isEqualTo("dev");
    assertThat(body.path("summary").asText()).isEqualTo("DELETE FROM users WHERE id = $1");
    assertThat(body.at("/reasons/0").asText()).isEqualTo("writes need a second person");
    assertThat(body.at("/approvers/0").asText()).isEqualTo("group:dba");
    assertThat(body.path("expires_at").asText()).isEqualTo("2026-03-01T10:15:00Z");
    assertThat(body.at("/approve/url").asText())
        .isEqualTo("http://127.0.0.1:9090/api/v1/approvals/apr_abcdefghijklmnopqrst/approve");
    assertThat(body.at("/approve/cli").asText()).isEqualTo(
        "portcullis approvals approve apr_abcdefghijklmnopqrst --admin-url http://127.0.0.1:9090");
    assertThat(body.at("/deny/url").asText()).endsWith("/deny");
    assertThat(body.toString()).doesNotContain("id = 7").doesNotContain("request_document");
  }

  @Test
  void theSlackWebhookGetsTextAndBlocks() throws Exception {
    try (var notifier = new ApprovalNotifier(List.of(new Webhook(url("/slack"), "slack")), LINKS)) {
      notifier.announce(pending()).get(10, TimeUnit.SECONDS);
    }
    JsonNode body = next().body();
    assertThat(body.path("text").asText())
        .isEqualTo("Approval apr_abcdefghijklmnopqrst needed: alice on orders-db: "
            + "DELETE FROM users WHERE id = $1");
    JsonNode blocks = body.path("blocks");
    assertThat(blocks.get(0).path("type").asText()).isEqualTo("section");
    assertThat(blocks.get(0).at("/text/type").asText()).isEqualTo("mrkdwn");
    assertThat(blocks.get(0).at("/text/text").asText())
        .contains("```DELETE FROM users WHERE id = $1```", "Why: writes need a second person");
    assertThat(blocks.get(1).path("type").asText()).isEqualTo("context");
    assertThat(blocks.get(1).path("elements").toString())
        .contains("portcullis approvals approve apr_abcdefghijklmnopqrst", "approvers: group:dba");
  }

  @Test
  void aDecidedRequestIsAnnouncedWithItsOutcome() throws Exception {
    ApprovalRequest denied = pending().withOutcome(
        new ApprovalOutcome.Denied("bob", Instant.parse("2026-03-01T10:01:00Z"), "a <b> & c"));
    try (var notifier = new ApprovalNotifier(
        List.of(new Webhook(url("/hook"), "json"), new Webhook(url("/slack"), "slack")), LINKS)) {
      notifier.announce(denied).get(10, TimeUnit.SECONDS);
    }
    Received first = next();
    Received second = next();
    JsonNode json = first.path().equals("/hook") ? first.body() : second.body();
    JsonNode slack = first.path().equals("/slack") ? first.body() : second.body();
    assertThat(json.path("state").asText()).isEqualTo("denied");
    assertThat(json.at("/outcome/by").asText()).isEqualTo("bob");
    assertThat(json.has("approve")).isFalse();
    assertThat(slack.at("/blocks/0/text/text").asText())
        .startsWith("*Approval apr_abcdefghijklmnopqrst denied by bob: a &lt;b&gt; &amp; c*");
  }

  @Test
  void serverErrorsAreRetriedWithBackoffAndThenSucceed() throws Exception {
    failuresLeft.set(2);
    try (var notifier = new ApprovalNotifier(List.of(new Webhook(url("/hook"), "json")), LINKS,
        Duration.ofMillis(20))) {
      notifier.announce(pending()).get(10, TimeUnit.SECONDS);
    }
    assertThat(next().body().path("id").asText()).isEqualTo("apr_abcdefghijklmnopqrst");
  }

  @Test
  void retriesAreBoundedAndAFailureNeverSurfaces() throws Exception {
    failuresLeft.set(100);
    try (var notifier = new ApprovalNotifier(List.of(new Webhook(url("/hook"), "json"),
        new Webhook("http://127.0.0.1:1/secret-path", "slack")), LINKS, Duration.ofMillis(10))) {
      notifier.announce(pending()).get(10, TimeUnit.SECONDS); // completes normally
    }
    assertThat(failuresLeft.get()).isEqualTo(100 - ApprovalNotifier.ATTEMPTS);
    assertThat(received).isEmpty();
  }
}
