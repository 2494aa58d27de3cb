package io.portcullis.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.document.Identity;
import io.portcullis.document.SessionInfo;
import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyVerdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

  @Test
  void rendersPrometheusTextWithConventionalNames() {
    GatewayMetrics metrics = new GatewayMetrics();
    GatewayMetrics.SessionPoints points = metrics.points("postgres", "demo");
    metrics.sessionStarted("postgres", "demo");
    points.open().inc();
    points.allowed().inc();
    points.allowed().inc();
    points.denied().inc();
    points.opa().observe(0.0007);
    points.rows().inc(42);
    metrics.alert("bulk_read");
    metrics.gauge("portcullis_opa_healthy", "1 when healthy", () -> 1);
    String text = new String(metrics.render(), StandardCharsets.UTF_8);
    assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(text).contains(
        "# TYPE portcullis_requests_total counter",
        "portcullis_requests_total{protocol=\"postgres\",target=\"demo\",verdict=\"allow\"} 2",
        "portcullis_requests_total{protocol=\"postgres\",target=\"demo\",verdict=\"deny\"} 1",
        "portcullis_sessions_open{protocol=\"postgres\",target=\"demo\"} 1",
        "portcullis_sessions_started_total{protocol=\"postgres\",target=\"demo\"} 1",
        "# TYPE portcullis_decision_duration_seconds histogram",
        "portcullis_decision_duration_seconds_bucket{protocol=\"postgres\",source=\"opa\",le=\"0.001\"} 1",
        "portcullis_decision_duration_seconds_count{protocol=\"postgres\",source=\"opa\"} 1",
        "portcullis_rows_returned_total{protocol=\"postgres\",target=\"demo\"} 42",
        "portcullis_alerts_total{alert=\"bulk_read\"} 1",
        "portcullis_opa_healthy 1");
  }

  @Test
  void alertNamesBeyondTheCapCountAsOther() {
    GatewayMetrics metrics = new GatewayMetrics();
    for (int i = 0; i < GatewayMetrics.MAX_ALERT_NAMES + 5; i++) {
      metrics.alert("name_" + i);
    }
    String text = new String(metrics.render(), StandardCharsets.UTF_8);
    assertThat(text).contains("portcullis_alerts_total{alert=\"other\"} 5");
  }

  @Test
  void aSessionMonitorMovesItsSeriesAndCountsOpaFailures() {
    GatewayMetrics metrics = new GatewayMetrics();
    Monitoring monitoring = new Monitoring(new ActivityTracker(MonitoringSettings.defaults()),
        new AlertRouter(io.portcullis.audit.AuditRecorder.disabled(), io.portcullis.approval.ApprovalNotifier.none(),
            metrics, java.time.Clock.systemUTC(), 60), metrics);
    SessionInfo info = new SessionInfo("ses_1", "postgres", "demo", Instant.now(),
        new SessionInfo.Source("127.0.0.1", 5000, false));
    SessionMonitor session = monitoring.open(info, new Identity("a", "iss", List.of(), null, "oidc_jwt"));
    PolicyVerdict failure = PolicyVerdict.failure("OPA unreachable", 2_000_000);
    session.answered(failure);
    session.decided(1, "select ?", failure, false, false, List.of(), null);
    session.closed("client_closed");
    session.closed("client_closed");
    String text = new String(metrics.render(), StandardCharsets.UTF_8);
    assertThat(text).contains("portcullis_opa_errors_total{protocol=\"postgres\"} 1",
        "portcullis_requests_total{protocol=\"postgres\",target=\"demo\",verdict=\"deny\"} 1",
        "portcullis_sessions_open{protocol=\"postgres\",target=\"demo\"} 0",
        "portcullis_sessions_ended_total{protocol=\"postgres\",reason=\"client_closed\",target=\"demo\"} 1");
    assertThat(new Decision(true, null, null, null, null, null, null, null).terminates()).isFalse();
  }
}
