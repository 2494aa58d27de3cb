package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With cleartext not allowed, a token is accepted only over TLS: psql sslmode=require and JDBC ssl. */
class TlsIT {

  private static OpaServer opa;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("portcullis-tls-");
    Processes.check(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.crt").toString(),
        "-days", "1", "-subj", "/CN=localhost"), Duration.ofSeconds(30));
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    gateway = GatewayFixture.start(PostgresServer.shared(), "url: " + opa.url(), """
        allow_cleartext_on_loopback: false
          tls: {cert_file: %1$s/server.crt, key_file: %1$s/server.key}""".formatted(dir));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    opa.close();
  }

  @Test
  void psqlOverTlsWorks() {
    Processes.Result r = gateway.psqlWith("dbname=demo sslmode=require", gateway.token("ci", "readers"), null,
        "-tA", "-c", "SELECT count(*) FROM customers");
    // sslmode=require fails unless the gateway answered the SSLRequest with TLS.
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout().strip()).isEqualTo("50");
  }

  @Test
  void jdbcOverTlsWorks() throws Exception {
    try (var c = gateway.jdbc(gateway.token("ci", "readers"), "sslmode", "require");
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM customers")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(50);
    }
  }

  @Test
  void cleartextTokenWithoutTlsIsRefused() {
    Processes.Result r = gateway.psqlWith("dbname=demo sslmode=disable", gateway.token("ci", "readers"), null,
        "-c", "SELECT 1");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("the gateway accepts a token only over TLS");
    assertThatThrownBy(() -> gateway.jdbc(gateway.token("ci", "readers")).close())
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
  }
}
