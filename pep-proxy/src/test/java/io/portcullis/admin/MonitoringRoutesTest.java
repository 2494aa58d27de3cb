package io.portcullis.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.json.Json;
import io.portcullis.monitor.GatewayMetrics;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MonitoringRoutesTest {

  @Test
  void readinessNamesWhatIsNotReady() throws Exception {
    AtomicReference<String> opa = new AtomicReference<>();
    List<MonitoringRoutes.Check> checks = List.of(new MonitoringRoutes.Check("opa", opa::get),
        new MonitoringRoutes.Check("audit", () -> null));
    AdminResponse ok = MonitoringRoutes.readiness(checks);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(Json.mapper().readTree(ok.body()).toString())
        .isEqualTo("{\"ready\":true,\"checks\":{\"opa\":\"ok\",\"audit\":\"ok\"},\"not_ready\":[]}");
    opa.set("OPA did not answer its last health check");
    AdminResponse down = MonitoringRoutes.readiness(checks);
    assertThat(down.status()).isEqualTo(503);
    assertThat(Json.mapper().readTree(down.body()).path("not_ready").toString())
        .isEqualTo("[\"opa: OPA did not answer its last health check\"]");
  }

  @Test
  void aCheckThatThrowsIsNotReady() {
    AdminResponse r = MonitoringRoutes.readiness(List.of(new MonitoringRoutes.Check("audit", () -> {
      throw new IllegalStateException("boom");
    })));
    assertThat(r.status()).isEqualTo(503);
  }

  @Test
  void metricsAreOpenUnlessATokenIsRequired() {
    GatewayMetrics metrics = new GatewayMetrics();
    assertThat(MonitoringRoutes.of(metrics, List.of(), false)).extracting(AdminRoute::path, AdminRoute::authenticated)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/readyz", false),
            org.assertj.core.groups.Tuple.tuple("/metrics", false));
    assertThat(MonitoringRoutes.of(metrics, List.of(), true).get(1).authenticated()).isTrue();
  }
}
