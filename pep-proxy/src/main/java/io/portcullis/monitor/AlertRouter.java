package io.portcullis.monitor;

import static java.util.Objects.requireNonNull;

import io.portcullis.approval.AlertNotice;
import io.portcullis.approval.ApprovalNotifier;
import io.portcullis.audit.AlertRaised;
import io.portcullis.audit.AuditRecorder;
import io.portcullis.document.Context;
import io.portcullis.document.Identity;
import io.portcullis.document.SessionInfo;
import io.portcullis.json.Json;
import io.portcullis.policy.PolicyVerdict;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the alerts of a decision: each is counted in the metrics, then recorded in the audit log
 * ({@link AlertRaised}) and announced to the approval webhooks, at most once per
 * {@code monitoring.alert_repeat_s} for the same identity, target, source address and alert; the
 * repeats in
 * between are counted into the next one that goes out. Nothing waits for the record or the
 * webhooks: the request's own audit record, which lists its alerts, was already waited for.
 */
public final class AlertRouter {

  private static final Logger log = LoggerFactory.getLogger(AlertRouter.class);
  /** Alert keys remembered for repeats; past it, the memory starts over. */
  static final int MAX_KEYS = 100_000;

  private static final class Last {
    final long atMillis;
    final AtomicLong suppressed = new AtomicLong();

    Last(long atMillis) {
      this.atMillis = atMillis;
    }
  }

  private final AuditRecorder audit;
  private final ApprovalNotifier notifier;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final long repeatMillis;
  private final ConcurrentHashMap<String, Last> last = new ConcurrentHashMap<>();

  public AlertRouter(AuditRecorder audit, ApprovalNotifier notifier, GatewayMetrics metrics, Clock clock,
      int repeatS) {
    this.audit = requireNonNull(audit, "audit");
    this.notifier = requireNonNull(notifier, "notifier");
    this.metrics = requireNonNull(metrics, "metrics");
    this.clock = requireNonNull(clock, "clock");
    this.repeatMillis = repeatS * 1000L;
  }

  /**
   * Routes every alert of {@code verdict}.
   *
   * @param request the request without literal values, or null
   * @param allowed whether the request was allowed as enforced
   * @param stats the activity the policy saw, or null
   */
  public void raise(SessionInfo session, Identity identity, long requestNo, String request,
      PolicyVerdict verdict, boolean allowed, Context.Stats stats) {
    for (String alert : verdict.decision().alerts()) {
      metrics.alert(alert);
      long suppressed = due(ActivityTracker.key(identity) + "\0" + session.target() + "\0"
          + session.source().ip() + "\0" + alert);
      if (suppressed < 0) {
        continue;
      }
      log.warn("alert {} session={} request={} subject={} target={} verdict={}", alert, session.id(),
          requestNo, identity.subject(), session.target(), allowed ? "allow" : "deny");
      audit.alertRaised(new AlertRaised(session.id(), requestNo, alert, identity.subject(), identity.issuer(),
          session.target(), request, allowed, stats == null ? null : Json.mapper().valueToTree(stats),
          suppressed, verdict.decisionId()))
          .exceptionally(e -> {
            log.error("session {}: alert {} could not be recorded: {}", session.id(), alert, e.getMessage());
            return null;
          });
      notifier.alert(new AlertNotice(alert, session.id(), requestNo, session.protocol(), session.target(),
          identity.subject(), identity.issuer(), identity.groups(), session.source().ip(), request, allowed,
          verdict.decision().reasons(), stats, suppressed, verdict.decisionId(), clock.instant()));
    }
  }

  /** The repeats suppressed before this one when it goes out now, or -1 when it is a repeat. */
  long due(String key) {
    long now = clock.millis();
    if (last.size() >= MAX_KEYS) {
      last.clear();
    }
    Last previous = last.get(key);
    if (previous != null && now - previous.atMillis < repeatMillis) {
      previous.suppressed.incrementAndGet();
      return -1;
    }
    Last next = new Last(now);
    boolean won = previous == null ? last.putIfAbsent(key, next) == null : last.replace(key, previous, next);
    if (!won) {
      Last current = last.get(key);
      if (current != null) {
        current.suppressed.incrementAndGet();
      }
      return -1;
    }
    return previous == null ? 0 : previous.suppressed.get();
  }
}
