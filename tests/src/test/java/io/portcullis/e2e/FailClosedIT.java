package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.it.fixture.GatewayExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With OPA gone, nothing runs; with OPA back, the same session works again. */
class FailClosedIT {

  @RegisterExtension
  static final GatewayExtension servers = new GatewayExtension();

  /** null when the query ran; the error's message when it was refused. */
  private static String attempt(Connection c, String sql) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return null;
    } catch (SQLException e) {
      assertThat(e.getSQLState()).isEqualTo("42501");
      return e.getMessage();
    }
  }

  @Test
  void opaKilledMidSessionDeniesEveryStatementUntilItIsBack() throws Exception {
    try (Connection c = servers.gateway().jdbc(servers.gateway().token("ci", "readers"), "preferQueryMode", "simple")) {
      String cached = "SELECT count(*) FROM customers";
      assertThat(attempt(c, cached)).isNull();
      assertThat(attempt(c, cached)).isNull();

      servers.opa().kill();
      // The gateway notices within one health-check interval; until then it may serve a cached
      // decision made while OPA was healthy. Bounded wait for the first denial.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      String refusal = null;
      while (refusal == null && System.nanoTime() < deadline) {
        refusal = attempt(c, cached);
      }
      assertThat(refusal).contains("policy decision unavailable: OPA unreachable");
      for (String sql : new String[] {cached, "SELECT 1", "SELECT name FROM customers WHERE id = 2"}) {
        assertThat(attempt(c, sql)).as(sql).contains("policy decision unavailable");
      }

      servers.opa().start();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      String result = "not yet";
      while (result != null && System.nanoTime() < deadline) {
        result = attempt(c, "SELECT 1");
        if (result != null) {
          Thread.sleep(200);
        }
      }
      assertThat(result).as("allowed again once OPA is back").isNull();
      assertThat(attempt(c, cached)).isNull();
    }
    assertThat(servers.gateway().decisionLog()).contains("\"source\":\"failure\"", "\"source\":\"cache\"");
  }
}
