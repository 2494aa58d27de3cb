package io.portcullis.admin;

import static java.util.Objects.requireNonNull;

import io.portcullis.monitor.GatewayMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /readyz} and {@code GET /metrics}. Liveness ({@code GET /healthz}) is the admin
 * server's own: it answers as long as the process does.
 *
 * <p>{@code /readyz} answers 200 {@code {"ready": true, "checks": {...}}} when every check passes,
 * else 503 with {@code "not_ready"} naming each failing check and why, so that a load balancer
 * sends no clients to a gateway that would deny every request (OPA down, audit log unwritable).
 * Both are open: they tell no more than a refused connection would. {@code /metrics} is the
 * Prometheus text format, open unless {@code admin.metrics_require_token}.
 */
public final class MonitoringRoutes {

  /**
   * One readiness check.
   *
   * @param name what is checked ({@code opa}, {@code audit})
   * @param problem null when ready, else why not
   */
  public record Check(String name, Supplier<String> problem) {
    public Check {
      requireNonNull(name, "name");
      requireNonNull(problem, "problem");
    }
  }

  /** The readiness body. */
  record Readiness(boolean ready, Map<String, String> checks, List<String> notReady) {}

  private MonitoringRoutes() {}

  /** The routes, reading {@code metrics} and running {@code checks} at each request. */
  public static List<AdminRoute> of(GatewayMetrics metrics, List<Check> checks, boolean metricsRequireToken) {
    requireNonNull(metrics, "metrics");
    List<Check> all = List.copyOf(checks);
    AdminRoute.Handler scrape = request -> new AdminResponse(200, metrics.contentType(), metrics.render());
    return List.of(
        AdminRoute.open("/readyz", request -> readiness(all)),
        metricsRequireToken ? AdminRoute.get("/metrics", scrape) : AdminRoute.open("/metrics", scrape));
  }

  static AdminResponse readiness(List<Check> checks) {
    Map<String, String> results = new LinkedHashMap<>();
    List<String> notReady = new ArrayList<>();
    for (Check check : checks) {
      String problem;
      try {
        problem = check.problem().get();
      } catch (RuntimeException e) {
        problem = "check failed: " + e.getMessage();
      }
      results.put(check.name(), problem == null ? "ok" : problem);
      if (problem != null) {
        notReady.add(check.name() + ": " + problem);
      }
    }
    return AdminResponse.json(notReady.isEmpty() ? 200 : 503,
        new Readiness(notReady.isEmpty(), results, notReady));
  }
}
