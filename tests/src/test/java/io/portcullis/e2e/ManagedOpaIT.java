package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OPA as the gateway's managed child, fed the bundle built from policies/: decisions carry its revision. */
class ManagedOpaIT {

  private static GatewayFixture gateway;
  private static String revision;
  private static int opaPort;

  @BeforeAll
  static void start() throws Exception {
    Processes.Result build = Processes.check(List.of("bash",
        Repo.root().resolve("opa-bundles/build.sh").toString()), Duration.ofSeconds(60));
    revision = build.stdout().lines().filter(l -> l.startsWith("revision: ")).findFirst().orElseThrow()
        .substring("revision: ".length());
    int port = io.portcullis.it.fixture.FreePorts.next();
    opaPort = port;
    gateway = GatewayFixture.startWithOpa(PostgresServer.shared(), """
        managed: {binary: %s, bundle: %s, addr: 127.0.0.1:%d, log_file: %%DIR%%/opa.log}
          timeout_ms: 1000""".formatted(Repo.opa(), Repo.root().resolve("opa-bundles/build/bundle.tar.gz"), port));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void everyDecisionCarriesTheBundleRevisionAndADecisionId() throws Exception {
    Processes.Result r = gateway.psql(gateway.token("ci", "readers"), """
        SELECT 1 AS allowed;
        TRUNCATE orders;
        """, "-tA");
    assertThat(r.stdout()).contains("1");
    assertThat(r.stderr()).contains("TRUNCATE is never allowed", "(policy revision " + revision + ")");
    String log = gateway.decisionLog();
    assertThat(log).contains("\"revision\":\"" + revision + "\"").containsPattern("\"decision_id\":\"[0-9a-f-]{36}\"");
  }

  private static java.util.Optional<ProcessHandle> managedOpa() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(" run --server")
            && c.contains("127.0.0.1:" + opaPort)).orElse(false))
        .findFirst();
  }

  @Test
  void aKilledManagedOpaIsRestartedAndDecisionsResume() throws Exception {
    ProcessHandle first = managedOpa().orElseThrow();
    first.destroyForcibly();
    first.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    java.util.Optional<ProcessHandle> second = java.util.Optional.empty();
    while (second.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      second = managedOpa().filter(p -> p.pid() != first.pid());
    }
    assertThat(second).as("a new OPA process").isPresent();
    String token = gateway.token("ci", "readers");
    Processes.Result r = null;
    while (System.nanoTime() < deadline) {
      r = gateway.psql(token, null, "-tA", "-c", "SELECT 41 + 1");
      if (r.exitCode() == 0 && r.stdout().contains("42")) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(r.stdout()).as(r.output()).contains("42");
  }
}
