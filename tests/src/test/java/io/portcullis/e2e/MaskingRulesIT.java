package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Masking rules the default policy does not use, under a policy of their own: a bare column name,
 * every strategy on columns of several types, and patterns; with psql (text format) and JDBC
 * server-side prepared statements (binary format).
 */
class MaskingRulesIT {

  private static final String POLICY = """
      package portcullis

      decision := {
      	"allow": true,
      	"reasons": [],
      	"mask": [
      		{"column": "email", "strategy": "redact"},
      		{"table": "customers", "column": "id", "strategy": "partial"},
      		{"table": "customers", "column": "name", "strategy": "null"},
      		{"table": "public.customers", "column": "card_number", "strategy": "hash"},
      		{"pattern": "us_ssn", "strategy": "partial"},
      		{"pattern": "email", "strategy": "partial"},
      	],
      	"mask_notice": false,
      }
      """;

  private static OpaServer opa;
  private static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("portcullis-mask-policy-");
    Files.writeString(dir.resolve("policy.rego"), POLICY);
    opa = new OpaServer(dir).start();
    gw = GatewayFixture.start(PostgresServer.shared(), opa.url(), true);
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (opa != null) {
      opa.close();
    }
  }

  private static Processes.Result psql(String sql) {
    return gw.psql(gw.token("ci-runner", "readers"), null, "-tA", "-c", sql);
  }

  @Test
  void everyStrategyOnTextAndNonTextColumns() {
    Processes.Result r = psql("SELECT id, name, email, card_number, ssn FROM customers WHERE id = 1");
    assertThat(r.exitCode()).as(r.output()).isZero();
    String[] values = r.stdout().strip().split("\\|", -1);
    // An int4 cannot hold "partial": it comes back NULL. name is nulled, email redacted by name.
    assertThat(values[0]).isEmpty();
    assertThat(values[1]).isEmpty();
    assertThat(values[2]).isEqualTo("[REDACTED]");
    assertThat(values[3]).matches("hmac:[0-9a-f]{32}");
    assertThat(values[4]).isEqualTo("*******1001");
    assertThat(r.stderr()).doesNotContain("NOTICE");
  }

  @Test
  void aBareColumnRuleMasksAComputedValueOfThatNameAndPatternsFindValuesInText() {
    Processes.Result r = psql("SELECT 'someone@example.org' AS email,"
        + " 'write to someone@example.org today' AS note, 'no match 123-45' AS other");
    assertThat(r.stdout().strip())
        .isEqualTo("[REDACTED]|write to ***************.org today|no match 123-45");
  }

  @Test
  void binaryFormatValuesThatMustBeMaskedAreSentAsNull() throws Exception {
    try (Connection c = gw.jdbc(gw.token("ci-runner", "readers"), "prepareThreshold", "1");
        PreparedStatement ps = c.prepareStatement("SELECT id, card_number FROM customers WHERE id = ?")) {
      for (int i = 0; i < 3; i++) {
        ps.setInt(1, 2);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getObject(1)).isNull();
          assertThat(rs.getString(2)).matches("hmac:[0-9a-f]{32}");
        }
      }
    }
  }
}
