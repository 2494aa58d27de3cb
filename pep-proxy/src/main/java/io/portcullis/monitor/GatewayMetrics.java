package io.portcullis.monitor;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The gateway's Prometheus metrics, in a registry of its own, rendered in the Prometheus text
 * format for {@code GET /metrics}. Labels are protocol, target (configured names), verdict,
 * source, reason and alert name: never subjects or addresses, which would make a series per
 * identity and put who did what into the metrics store. Counting is lock-free; callers keep the
 * data points they use per session so that a request costs no label lookup.
 */
public final class GatewayMetrics {

  /** Distinct alert names kept as label values; later names count as {@code other}. */
  static final int MAX_ALERT_NAMES = 64;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Set<String> alertNames = ConcurrentHashMap.newKeySet();

  final Gauge sessionsOpen = Gauge.builder().name("portcullis_sessions_open")
      .help("Client sessions open now").labelNames("protocol", "target").register(registry);
  final Counter sessionsStarted = Counter.builder().name("portcullis_sessions_started_total")
      .help("Client sessions started").labelNames("protocol", "target").register(registry);
  final Counter sessionsEnded = Counter.builder().name("portcullis_sessions_ended_total")
      .help("Client sessions ended, by why").labelNames("protocol", "target", "reason").register(registry);
  final Counter requests = Counter.builder().name("portcullis_requests_total")
      .help("Requests decided, by the verdict enforced").labelNames("protocol", "target", "verdict")
      .register(registry);
  final Histogram decisionSeconds = Histogram.builder().name("portcullis_decision_duration_seconds")
      .help("Time to get a policy decision, by where it came from (opa, cache, failure)")
      .labelNames("protocol", "source").classicOnly()
      .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
          0.5, 1, 2.5)
      .register(registry);
  final Counter opaErrors = Counter.builder().name("portcullis_opa_errors_total")
      .help("Policy requests that got no valid decision (unreachable, timeout, bad answer): each was denied")
      .labelNames("protocol").register(registry);
  final Counter receivedBytes = Counter.builder().name("portcullis_client_received_bytes_total")
      .help("Bytes received from clients in sessions (after TLS)").labelNames("protocol", "target")
      .register(registry);
  final Counter sentBytes = Counter.builder().name("portcullis_client_sent_bytes_total")
      .help("Bytes sent to clients in sessions (before TLS)").labelNames("protocol", "target")
      .register(registry);
  final Counter rowsReturned = Counter.builder().name("portcullis_rows_returned_total")
      .help("Result rows and COPY rows relayed to clients").labelNames("protocol", "target")
      .register(registry);
  final Counter alerts = Counter.builder().name("portcullis_alerts_total")
      .help("Alerts in policy decisions, by name (each one, repeats included)").labelNames("alert")
      .register(registry);

  /** Session-level data points for one protocol and target. */
  record SessionPoints(GaugeDataPoint open, CounterDataPoint allowed, CounterDataPoint denied,
      CounterDataPoint received, CounterDataPoint sent, CounterDataPoint rows,
      DistributionDataPoint opa, DistributionDataPoint cache, DistributionDataPoint failure,
      CounterDataPoint opaErrors) {}

  private final ConcurrentHashMap<String, SessionPoints> points = new ConcurrentHashMap<>();

  /** The data points of sessions on {@code target} over {@code protocol}. */
  SessionPoints points(String protocol, String target) {
    return points.computeIfAbsent(protocol + "\0" + target, k -> new SessionPoints(
        sessionsOpen.labelValues(protocol, target), requests.labelValues(protocol, target, "allow"),
        requests.labelValues(protocol, target, "deny"), receivedBytes.labelValues(protocol, target),
        sentBytes.labelValues(protocol, target), rowsReturned.labelValues(protocol, target),
        decisionSeconds.labelValues(protocol, "opa"), decisionSeconds.labelValues(protocol, "cache"),
        decisionSeconds.labelValues(protocol, "failure"), opaErrors.labelValues(protocol)));
  }

  /** Counts a session's start. */
  void sessionStarted(String protocol, String target) {
    sessionsStarted.labelValues(protocol, target).inc();
  }

  /** Counts a session's end. */
  void sessionEnded(String protocol, String target, String reason) {
    sessionsEnded.labelValues(protocol, target, reason).inc();
  }

  /** Counts an alert by name; names beyond the first {@value #MAX_ALERT_NAMES} count as other. */
  void alert(String name) {
    String label = alertNames.contains(name) || alertNames.size() < MAX_ALERT_NAMES && alertNames.add(name)
        ? name : "other";
    alerts.labelValues(label).inc();
  }

  /**
   * Registers a gauge whose value is read at each scrape (health, queue depths).
   *
   * @param name a Prometheus metric name
   * @param help what it measures
   * @param value read on the scraping thread; must be cheap and thread-safe
   */
  public void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }

  /** The media type of {@link #render()}. */
  public String contentType() {
    return writer.getContentType();
  }

  /** Every metric now, in the Prometheus text format (version 0.0.4). */
  public byte[] render() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // A ByteArrayOutputStream does not fail.
    }
    return out.toByteArray();
  }
}
