package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.it.fixture.GatewayExtension;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;

/** PostgreSQL JDBC through the gateway: simple and extended protocol, batches, cancel. */
class JdbcIT {

  @RegisterExtension
  static final GatewayExtension servers = new GatewayExtension();

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void simpleProtocolSelect() throws Exception {
    try (Connection c = servers.gateway().jdbc(servers.gateway().token("app", "readers"), "preferQueryMode", "simple")) {
      assertThat(count(c, "SELECT count(*) FROM customers")).isEqualTo(50);
    }
  }

  @Test
  void preparedStatementWithParameters() throws Exception {
    try (Connection c = servers.gateway().jdbc(servers.gateway().token("app", "readers"));
        PreparedStatement ps = c.prepareStatement("SELECT name FROM customers WHERE id = ?")) {
      ps.setInt(1, 7);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("Customer 7");
      }
    }
  }

  @Test
  void serverSidePreparedStatementsAreReused() throws Exception {
    try (Connection c = servers.gateway().jdbc(servers.gateway().token("app", "readers"), "prepareThreshold", "1");
        PreparedStatement ps = c.prepareStatement("SELECT amount FROM orders WHERE id = ?")) {
      for (int i = 1; i <= 5; i++) {
        ps.setInt(1, i);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
        }
      }
      // The named statement lives on the server and is bound again without a new Parse.
      assertThat(count(c, "SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT amount FROM orders WHERE id = $1'"))
          .isEqualTo(1);
    }
    assertThat(servers.gateway().decisionLog()).contains("\"message\":\"parse\"");
  }

  @Test
  void deniedExtendedStatementLeavesTheConnectionUsable() throws Exception {
    try (Connection c = servers.gateway().jdbc(servers.gateway().token("app", "readers"))) {
      assertThatThrownBy(() -> {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM orders WHERE id = ?")) {
          ps.setInt(1, 1);
          ps.executeUpdate();
        }
      }).isInstanceOfSatisfying(SQLException.class, e -> {
        assertThat(e.getSQLState()).isEqualTo("42501");
        assertThat(e.getMessage()).contains("DELETE needs group writers");
      });
      assertThat(count(c, "SELECT count(*) FROM orders WHERE id = 1")).isEqualTo(1);
    }
  }

  @Test
  void batchWithADeniedStatementCommitsNothing() throws Exception {
    try (Connection c = servers.gateway().jdbc(servers.gateway().token("app", "writers"));
        Statement s = c.createStatement()) {
      s.addBatch("INSERT INTO orders (customer_id, amount, status) VALUES (2, 5, 'batch-denied')");
      s.addBatch("UPDATE orders SET status = 'batch-denied'");
      assertThatThrownBy(s::executeBatch).isInstanceOf(BatchUpdateException.class)
          .hasMessageContaining("without WHERE");
      assertThat(count(c, "SELECT count(*) FROM orders WHERE status = 'batch-denied'")).isZero();
    }
  }

  @Test
  void allowedBatchRuns() throws Exception {
    try (Connection c = servers.gateway().jdbc(servers.gateway().token("app", "writers"));
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO orders (customer_id, amount, status) VALUES (?, ?, 'batch-ok')")) {
      for (int i = 1; i <= 20; i++) {
        ps.setInt(1, i);
        ps.setBigDecimal(2, java.math.BigDecimal.valueOf(i));
        ps.addBatch();
      }
      assertThat(ps.executeBatch()).hasSize(20);
      assertThat(count(c, "SELECT count(*) FROM orders WHERE status = 'batch-ok'")).isEqualTo(20);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM orders WHERE status = 'batch-ok'");
      }
    }
  }

  @Test
  void functionCallIsRefused() throws Exception {
    try (Connection c = servers.gateway().jdbc(servers.gateway().token("app", "writers"))) {
      c.setAutoCommit(false);
      // The large object API speaks the FunctionCall message, which runs functions without SQL.
      var lo = c.unwrap(PGConnection.class).getLargeObjectAPI();
      assertThatThrownBy(lo::createLO).isInstanceOf(SQLException.class)
          .hasMessageContaining("FunctionCall messages are not allowed");
      c.rollback();
      c.setAutoCommit(true);
      assertThat(count(c, "SELECT 1")).isEqualTo(1);
    }
  }

  @Test
  void cancelRequestCancelsALongQuery() throws Exception {
    try (Connection c = servers.gateway().jdbc(servers.gateway().token("app", "readers"));
        Statement s = c.createStatement()) {
      CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
        try {
          s.execute("SELECT pg_sleep(30)");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      Thread.sleep(500);
      long start = System.nanoTime();
      s.cancel();
      Throwable error = running.get(15, TimeUnit.SECONDS);
      assertThat(error).isInstanceOf(SQLException.class);
      assertThat(((SQLException) error).getSQLState()).isEqualTo("57014");
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
      assertThat(count(c, "SELECT 1")).isEqualTo(1);
    }
  }
}
