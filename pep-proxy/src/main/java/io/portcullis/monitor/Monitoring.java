package io.portcullis.monitor;

import static java.util.Objects.requireNonNull;

import io.portcullis.approval.ApprovalNotifier;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.document.Identity;
import io.portcullis.document.SessionInfo;
import java.time.Clock;

/**
 * Live monitoring shared by every session of a gateway: activity per identity, alert routing and
 * metrics.
 *
 * @param activity the per-identity activity counters
 * @param alerts where decisions' alerts go
 * @param metrics the Prometheus metrics
 */
public record Monitoring(ActivityTracker activity, AlertRouter alerts, GatewayMetrics metrics) {

  public Monitoring {
    requireNonNull(activity, "activity");
    requireNonNull(alerts, "alerts");
    requireNonNull(metrics, "metrics");
  }

  /** Monitoring as configured, recording alerts in {@code audit} and announcing them with {@code notifier}. */
  public static Monitoring create(MonitoringSettings settings, AuditRecorder audit, ApprovalNotifier notifier,
      Clock clock) {
    GatewayMetrics metrics = new GatewayMetrics();
    ActivityTracker activity = new ActivityTracker(settings, clock::millis);
    metrics.gauge("portcullis_activity_identities", "Identities whose activity is tracked", activity::size);
    return new Monitoring(activity, new AlertRouter(audit, notifier, metrics, clock, settings.alertRepeatS()),
        metrics);
  }

  /** Starts monitoring a session that has just started; close it with {@link SessionMonitor#closed}. */
  public SessionMonitor open(SessionInfo info, Identity identity) {
    metrics.sessionStarted(info.protocol(), info.target());
    GatewayMetrics.SessionPoints points = metrics.points(info.protocol(), info.target());
    points.open().inc();
    return new SessionMonitor(this, info, identity, activity.open(identity, info.target(), info.source().ip()),
        points);
  }
}
