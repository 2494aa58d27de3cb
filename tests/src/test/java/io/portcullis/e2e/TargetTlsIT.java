package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS on the gateway's own connection to PostgreSQL: ssl_mode require and verify-full. */
class TargetTlsIT {

  private static OpaServer opa;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    assumeTrue(pg.serverCertificate() != null, "the container path has no server certificate");
    Path other = Files.createTempDirectory("portcullis-ca-");
    Processes.check(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", other.resolve("k.pem").toString(), "-out", other.resolve("ca.pem").toString(),
        "-days", "1", "-subj", "/CN=someone-else"), Duration.ofSeconds(30));
    String target = "  - {name: %s, protocol: postgres, host: %%HOST%%, port: %%PORT%%, database: demo, "
        + "user: portcullis_gw, password_env: DEMO_PW, ssl_mode: %s%s}\n";
    String targets = target.formatted("tls_require", "require", "")
        + target.formatted("tls_verified", "verify-full", ", ssl_root_cert: " + pg.serverCertificate())
        + target.formatted("tls_wrong_ca", "verify-full", ", ssl_root_cert: " + other.resolve("ca.pem"));
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    gateway = GatewayFixture.start(pg, "url: " + opa.url(), "allow_cleartext_on_loopback: true",
        targets.stripTrailing());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (opa != null) {
      opa.close();
    }
  }

  private static Processes.Result sslOfGatewaysBackend(String target) {
    return gateway.psqlTarget(gateway.token("ci", "readers"), target, null, "-tA", "-c",
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
  }

  @Test
  void requireEncryptsTheConnectionToTheTarget() {
    Processes.Result r = sslOfGatewaysBackend("tls_require");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout().strip()).isEqualTo("t");
  }

  @Test
  void verifyFullChecksTheTargetsCertificate() {
    Processes.Result r = sslOfGatewaysBackend("tls_verified");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout().strip()).isEqualTo("t");
  }

  @Test
  void verifyFullRefusesACertificateFromAnotherAuthority() {
    Processes.Result r = sslOfGatewaysBackend("tls_wrong_ca");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("TLS with target tls_wrong_ca failed");
  }

  @Test
  void withoutSslModeTheConnectionIsPlain() {
    Processes.Result r = sslOfGatewaysBackend("demo");
    assertThat(r.stdout().strip()).isEqualTo("f");
  }
}
