package io.portcullis.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.approval.ApprovalLinks;
import io.portcullis.approval.ApprovalNotifier;
import io.portcullis.approval.Webhook;
import io.portcullis.audit.AlertRaised;
import io.portcullis.audit.AuditReader;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.audit.AuditSettings;
import io.portcullis.document.Context;
import io.portcullis.document.Identity;
import io.portcullis.document.SessionInfo;
import io.portcullis.json.Json;
import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyVerdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class AlertRouterTest {

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-12-01T09:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @TempDir Path dataDir;
  private HttpServer server;
  private final BlockingQueue<String[]> posts = new LinkedBlockingQueue<>();
  private final TestClock clock = new TestClock();
  private AuditRecorder audit;
  private ApprovalNotifier notifier;
  private GatewayMetrics metrics;
  private AlertRouter router;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/", exchange -> {
      try (exchange) {
        posts.add(new String[] {exchange.getRequestURI().getPath(),
            new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)});
        exchange.sendResponseHeaders(204, -1);
      }
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    audit = AuditRecorder.open(AuditSettings.defaults(), dataDir, Map.of());
    notifier = new ApprovalNotifier(List.of(new Webhook(base + "/json", "json"), new Webhook(base + "/slack", "slack")),
        new ApprovalLinks(null));
    metrics = new GatewayMetrics();
    router = new AlertRouter(audit, notifier, metrics, clock, 60);
  }

  @AfterEach
  void stop() {
    notifier.close();
    audit.close();
    server.stop(0);
  }

  private static final SessionInfo SESSION = new SessionInfo("ses_1", "postgres", "demo",
      Instant.parse("2026-12-01T08:59:00Z"), new SessionInfo.Source("10.0.0.7", 5000, true));
  private static final Identity WHO = new Identity("ci-1", "https://idp", List.of("ci", "readers"), null, "oidc_jwt");

  private static PolicyVerdict verdict(String... alerts) {
    return new PolicyVerdict(new Decision(true, List.of(), null, null, null, List.of(alerts), null, false),
        "dec-1", "rev-1", PolicyVerdict.Source.OPA, 1000);
  }

  private static Context.Stats stats(long rows) {
    Context.Counts c = new Context.Counts(3, rows, 3, rows, 0, 0, 0, 0, 10, 10, 1, 1);
    return Context.Stats.of(c, c, false, List.of());
  }

  private List<AlertRaised> recorded() throws Exception {
    audit.close(); // Flushes what is queued.
    return AuditReader.embeddedLive(AuditSettings.directory(dataDir)).records().stream()
        .filter(r -> r.event() instanceof AlertRaised).map(r -> (AlertRaised) r.event()).toList();
  }

  @Test
  void eachAlertIsRecordedAndAnnouncedWithItsNumbers() throws Exception {
    router.raise(SESSION, WHO, 4, "select * from orders", verdict("bulk_read", "privileged_command"), true,
        stats(60_000));
    JsonNode json = null;
    int slack = 0;
    for (int i = 0; i < 4; i++) {
      String[] post = posts.poll(10, TimeUnit.SECONDS);
      assertThat(post).isNotNull();
      if (post[0].equals("/json") && post[1].contains("bulk_read")) {
        json = Json.mapper().readTree(post[1]);
      } else if (post[0].equals("/slack")) {
        slack++;
        assertThat(post[1]).contains("\"text\":\"Alert ");
      }
    }
    assertThat(slack).isEqualTo(2);
    assertThat(json.path("type").asText()).isEqualTo("alert");
    assertThat(json.path("session_id").asText()).isEqualTo("ses_1");
    assertThat(json.path("request_no").asLong()).isEqualTo(4);
    assertThat(json.path("identity").path("groups").toString()).isEqualTo("[\"ci\",\"readers\"]");
    assertThat(json.path("source_ip").asText()).isEqualTo("10.0.0.7");
    assertThat(json.path("request").asText()).isEqualTo("select * from orders");
    assertThat(json.path("verdict").asText()).isEqualTo("allow");
    assertThat(json.path("stats").path("rows_returned_last_minute").asLong()).isEqualTo(60_000);
    assertThat(json.path("decision_id").asText()).isEqualTo("dec-1");
    List<AlertRaised> records = recorded();
    assertThat(records).extracting(AlertRaised::alert).containsExactlyInAnyOrder("bulk_read", "privileged_command");
    AlertRaised bulk = records.stream().filter(r -> r.alert().equals("bulk_read")).findFirst().orElseThrow();
    assertThat(bulk.subject()).isEqualTo("ci-1");
    assertThat(bulk.issuer()).isEqualTo("https://idp");
    assertThat(bulk.target()).isEqualTo("demo");
    assertThat(bulk.stats().path("rows_returned_last_minute").asLong()).isEqualTo(60_000);
    assertThat(bulk.decisionId()).isEqualTo("dec-1");
  }

  @Test
  void repeatsWithinTheWindowAreCountedIntoTheNextOne() throws Exception {
    router.raise(SESSION, WHO, 1, "select ?", verdict("rate_spike"), true, stats(1));
    clock.now = clock.now.plusSeconds(30);
    router.raise(SESSION, WHO, 2, "select ?", verdict("rate_spike"), true, stats(1));
    router.raise(SESSION, WHO, 3, "select ?", verdict("rate_spike"), true, stats(1));
    SessionInfo elsewhere = new SessionInfo("ses_2", "postgres", "demo", Instant.now(),
        new SessionInfo.Source("10.0.0.8", 5000, true));
    router.raise(elsewhere, WHO, 1, "select ?", verdict("rate_spike"), true, stats(1));
    clock.now = clock.now.plusSeconds(31);
    router.raise(SESSION, WHO, 4, "select ?", verdict("rate_spike"), true, stats(1));
    List<AlertRaised> records = recorded();
    assertThat(records).extracting(AlertRaised::requestNo, AlertRaised::suppressed, AlertRaised::sessionId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 0L, "ses_1"),
            org.assertj.core.groups.Tuple.tuple(1L, 0L, "ses_2"),
            org.assertj.core.groups.Tuple.tuple(4L, 2L, "ses_1"));
    assertThat(new String(metrics.render(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("portcullis_alerts_total{alert=\"rate_spike\"} 5");
  }
}
