package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.portcullis.it.fixture.GatewayExtension;
import io.portcullis.it.fixture.Processes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Masking of results by column, by data pattern and by strategy, through psql and JDBC to the real
 * PostgreSQL, decided by the default policy: readers see customers' email and card number partly
 * and the SSN redacted, analysts see a keyed hash and NULL, pii_readers see everything.
 */
class MaskingIT {

  @RegisterExtension
  static final GatewayExtension servers = new GatewayExtension();

  /** customer 1 as the default policy shows it to a reader. */
  private static final String EMAIL_1 = "*".repeat("customer1@example.com".length() - 4) + ".com";
  private static final String CARD_1 = "************4444";

  private static Processes.Result psql(String token, String sql) {
    return servers.gateway().psql(token, null, "-tA", "-c", sql);
  }

  private static String reader() {
    return servers.gateway().token("ci-runner", "readers");
  }

  @Test
  void columnsAreMaskedByTableAndColumnAndTheClientIsToldHowMany() {
    Processes.Result r = psql(reader(), "SELECT id, name, email, card_number, ssn FROM customers WHERE id = 1");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout().strip()).isEqualTo("1|Customer 1|" + EMAIL_1 + "|" + CARD_1 + "|[REDACTED]");
    assertThat(r.stderr()).contains("NOTICE:  portcullis: 3 values masked by policy",
        "masked columns: customers.email, customers.card_number, customers.ssn; data patterns masked"
            + " wherever they appear: credit_card, secret");
  }

  @Test
  void aStarIsMaskedColumnByColumnAndAliasesDoNotHideTheColumn() {
    Processes.Result star = psql(reader(), "SELECT * FROM customers WHERE id = 1");
    assertThat(star.stdout().strip()).isEqualTo("1|Customer 1|" + EMAIL_1 + "|" + CARD_1 + "|[REDACTED]");
    Processes.Result alias = psql(reader(), "SELECT c.email AS contact FROM customers c WHERE c.id = 1");
    assertThat(alias.stdout().strip()).isEqualTo(EMAIL_1);
    Processes.Result sub = psql(reader(), "SELECT * FROM (SELECT email FROM customers WHERE id = 1) s");
    assertThat(sub.stdout().strip()).isEqualTo(EMAIL_1);
  }

  @Test
  void piiReadersSeeTheRealValues() {
    Processes.Result r = psql(servers.gateway().token("dpo", "readers", "pii_readers"),
        "SELECT email, card_number, ssn FROM customers WHERE id = 1");
    assertThat(r.stdout().strip()).isEqualTo("customer1@example.com|5555555555554444|101-11-1001");
    assertThat(r.stderr()).doesNotContain("masked");
  }

  @Test
  void analystsGetAStableKeyedHashAndNull() {
    String analyst = servers.gateway().token("analyst", "readers", "analysts");
    Processes.Result first = psql(analyst, "SELECT email, ssn FROM customers WHERE id = 2");
    Processes.Result again = psql(analyst, "SELECT email FROM customers WHERE id = 2");
    String hashed = first.stdout().strip().split("\\|")[0];
    assertThat(hashed).matches("hmac:[0-9a-f]{32}");
    assertThat(again.stdout().strip()).isEqualTo(hashed);
    // The client sees NULL: the server's value never left the gateway.
    assertThat(first.stdout().strip()).endsWith("|");
  }

  @Test
  void dataPatternsAreMaskedInAnyColumn() {
    Processes.Result r = psql(reader(), "SELECT 'card 4111 1111 1111 1111 on file' AS note,"
        + " 'key AKIAIOSFODNN7EXAMPLE here' AS k, 'order 12345 of 2026-11-30' AS plain");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout().strip()).isEqualTo(
        "card ***************1111 on file|key [REDACTED] here|order 12345 of 2026-11-30");
  }

  @Test
  void returningIsMasked() {
    Processes.Result r = psql(servers.gateway().token("ci-runner", "writers"),
        "UPDATE customers SET name = name WHERE id = 1 RETURNING id, email");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).contains("1|" + EMAIL_1);
  }

  @Test
  void copyToStdoutIsMaskedInTextAndCsv() {
    Processes.Result text = psql(reader(), "COPY customers (id, email) TO STDOUT");
    assertThat(text.exitCode()).as(text.output()).isZero();
    assertThat(text.stdout().lines().findFirst().orElseThrow()).isEqualTo("1\t" + EMAIL_1);
    assertThat(text.stdout().lines().count()).isEqualTo(50);
    Processes.Result csv = psql(reader(), "COPY customers TO STDOUT WITH (FORMAT csv)");
    assertThat(csv.exitCode()).as(csv.output()).isZero();
    assertThat(csv.stdout().lines().findFirst().orElseThrow())
        .isEqualTo("1,Customer 1," + EMAIL_1 + "," + CARD_1 + ",[REDACTED]");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT substr(email, 1, 3) || substr(email, 4) FROM customers",
      "SELECT row_to_json(c) FROM customers c",
      "SELECT c FROM customers c",
      "SELECT string_agg(email, ',') FROM customers",
      "SELECT id FROM customers WHERE email LIKE 'a%'",
      "SELECT id FROM customers ORDER BY email",
      "SELECT email FROM customers UNION SELECT 'x'",
      "SELECT lower(e) FROM (SELECT email AS e FROM customers) s",
      "SELECT email FROM customers ORDER BY 1",
      "SELECT o.id FROM orders o JOIN customers c ON c.email = o.status",
      "COPY (SELECT email FROM customers) TO STDOUT",
  })
  void everyUseOfAMaskedColumnOtherThanSelectingItIsDenied(String sql) {
    // An identity of its own for each attempt: ten denials a minute end an identity's sessions.
    Processes.Result r = psql(servers.gateway().token("bypass-" + Integer.toHexString(sql.hashCode()), "readers"), sql);
    assertThat(r.stderr()).as(sql).contains("ERROR:  portcullis:").containsAnyOf("is masked", "has masked columns");
    assertThat(r.stdout()).as(sql).doesNotContain("@example.com");
  }

  @Test
  void jdbcPreparedStatementsAreMaskedOnEveryExecution() throws Exception {
    try (Connection c = servers.gateway().jdbc(reader(), "prepareThreshold", "1");
        PreparedStatement ps = c.prepareStatement("SELECT id, email, card_number FROM customers WHERE id = ?")) {
      for (int i = 0; i < 5; i++) {
        ps.setInt(1, 1);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(1);
          assertThat(rs.getString(2)).isEqualTo(EMAIL_1);
          assertThat(rs.getString(3)).isEqualTo(CARD_1);
        }
      }
    }
  }

  @Test
  void jdbcFetchSizeStreamsSuspendedPortalsMasked() throws Exception {
    try (Connection c = servers.gateway().jdbc(reader())) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("SELECT id, email FROM customers ORDER BY id")) {
        ps.setFetchSize(7);
        List<String> emails = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            emails.add(rs.getString(2));
          }
        }
        assertThat(emails).hasSize(50).allMatch(e -> e.startsWith("*") && !e.contains("@"));
        SQLWarning warning = ps.getWarnings();
        assertThat(warning != null).as("a notice that values were masked").isTrue();
        assertThat(warning.getMessage()).contains("values masked by policy");
      }
      c.commit();
    }
  }

  @Test
  void aMillionMaskedRowsStreamThroughWithBoundedMemory() throws Exception {
    long peak = 0;
    long rows = 0;
    // Paranoid leak detection records every buffer's stack and makes this test ten times slower;
    // it is about memory, and every other test keeps the paranoid level.
    ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    try (Connection c = servers.gateway().jdbc(reader())) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.setFetchSize(5_000);
        try (ResultSet rs = s.executeQuery("SELECT c.email, repeat('x', 200) AS pad FROM customers c,"
            + " generate_series(1, 20000) AS g")) {
          while (rs.next()) {
            if (rs.getString(1).contains("@")) {
              throw new AssertionError("unmasked email in row " + rows);
            }
            if (++rows % 50_000 == 0) {
              peak = Math.max(peak, servers.gateway().directMemoryUsed());
            }
          }
        }
      }
      c.commit();
    } finally {
      ResourceLeakDetector.setLevel(level);
    }
    assertThat(rows).isEqualTo(1_000_000);
    // About 240 MB crossed the gateway; it held no more than a few buffers of it at a time.
    assertThat(peak).isLessThan(64L << 20);
  }
}
