package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** pgbench through the gateway: select-only and the standard mix, simple and prepared protocol. */
class PgbenchIT {

  private static OpaServer opa;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    Processes.Result init = Processes.run(List.of(pg.binDir().resolve("pgbench").toString(), "-i", "-s", "1",
        "-q", "demo"), pg.superuserEnv(), null, Duration.ofSeconds(120));
    assertThat(init.exitCode()).as(init.output()).isZero();
    pg.execAsSuperuser("demo", "GRANT ALL ON pgbench_accounts, pgbench_branches, pgbench_tellers, "
        + "pgbench_history TO " + PostgresServer.GATEWAY_USER);
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    gateway = GatewayFixture.start(pg, opa.url(), true);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    opa.close();
  }

  @ParameterizedTest(name = "pgbench {0} -M {1}")
  @CsvSource({"-S, simple", "-S, prepared", "-S, extended", "-N, simple", "-b tpcb-like, prepared"})
  void pgbenchRunsWithoutFailures(String script, String protocol) {
    List<String> command = new java.util.ArrayList<>(List.of(
        PostgresServer.shared().binDir().resolve("pgbench").toString(), "-n", "-T", "3", "-c", "4",
        "-j", "2", "-M", protocol));
    command.addAll(List.of(script.split(" ")));
    command.add("demo");
    Processes.Result r = Processes.run(command, Map.of("PGHOST", "127.0.0.1",
        "PGPORT", String.valueOf(gateway.port()), "PGUSER", "bench",
        "PGPASSWORD", gateway.token("bench", "readers", "writers")), null, Duration.ofSeconds(60));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).contains("number of failed transactions: 0");
    assertThat(r.stdout()).containsPattern("number of transactions actually processed: [1-9]");
  }
}
