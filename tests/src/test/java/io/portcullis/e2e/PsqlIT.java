package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.it.fixture.GatewayExtension;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real psql through the gateway to a real PostgreSQL, decided by a real OPA. */
class PsqlIT {

  @RegisterExtension
  static final GatewayExtension servers = new GatewayExtension();

  @Test
  void selectWorksAsIfDirect() {
    Processes.Result r = servers.gateway().psql(servers.gateway().token("ci-runner", "readers"), null,
        "-tA", "-c", "SELECT count(*) FROM customers");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout().strip()).isEqualTo("50");
  }

  @Test
  void dropIsDeniedWithThePolicysReasonAndTheSessionKeepsWorking() throws Exception {
    Processes.Result r = servers.gateway().psql(servers.gateway().token("ci-runner", "readers", "writers"), """
        DROP TABLE orders;
        SELECT 'still alive' AS status;
        """, "-tA", "-v", "VERBOSITY=verbose");
    assertThat(r.stderr()).contains("ERROR:  42501: portcullis: DROP is never allowed through the gateway");
    assertThat(r.stdout()).contains("still alive");
    PostgresServer.shared().execAsSuperuser("demo", "SELECT 1 FROM orders LIMIT 1");
    assertThat(servers.gateway().decisionLog()).contains("\"request\":\"drop table orders\"", "\"allow\":false");
  }

  @Test
  void oneDeniedStatementRejectsTheWholeMultiStatementQuery() {
    String token = servers.gateway().token("ci-runner", "readers", "writers");
    Processes.Result r = servers.gateway().psql(token, null, "-tA", "-c",
        "INSERT INTO orders (customer_id, amount, status) VALUES (1, 1, 'smuggled'); DROP TABLE orders");
    assertThat(r.stderr()).contains("DROP is never allowed");
    Processes.Result count = servers.gateway().psql(token, null, "-tA", "-c",
        "SELECT count(*) FROM orders WHERE status = 'smuggled'");
    assertThat(count.stdout().strip()).isEqualTo("0");
  }

  @Test
  void aDataModifyingCteIsAWrite() {
    String cte = "WITH gone AS (DELETE FROM orders WHERE id = -1 RETURNING id) SELECT count(*) FROM gone";
    Processes.Result reader = servers.gateway().psql(servers.gateway().token("ci-runner", "readers"), null, "-tA", "-c", cte);
    assertThat(reader.stderr()).contains("SELECT needs group writers");
    Processes.Result writer = servers.gateway().psql(servers.gateway().token("ci-runner", "writers"), null, "-tA", "-c", cte);
    assertThat(writer.exitCode()).as(writer.output()).isZero();
    assertThat(writer.stdout().strip()).isEqualTo("0");
  }

  @Test
  void aDenialInsideATransactionAbortsItAsTheServerWould() {
    Processes.Result r = servers.gateway().psql(servers.gateway().token("ci-runner", "readers"), """
        BEGIN;
        SELECT pg_read_file('/etc/passwd');
        SELECT 1;
        ROLLBACK;
        SELECT 'after rollback';
        """, "-tA");
    assertThat(r.stderr()).contains("function pg_read_file is not allowed",
        "current transaction is aborted");
    assertThat(r.stdout()).contains("after rollback");
  }

  @Test
  void unknownTargetIsRefused() {
    Processes.Result r = servers.gateway().psqlTarget(servers.gateway().token("ci-runner", "readers"), "nowhere", null, "-c", "SELECT 1");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("target \"nowhere\" is not configured");
  }

  @Test
  void invalidTokenIsRefusedWithAReasonAndNeverEchoed() {
    Processes.Result r = servers.gateway().psql("not-a-jwt-secret-value", null, "-c", "SELECT 1");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("token rejected: token is not a signed JWT").doesNotContain("not-a-jwt-secret-value");
  }

  @Test
  void md5TargetCredentialsWork() {
    Processes.Result r = servers.gateway().psqlTarget(servers.gateway().token("ci-runner", "readers"), "demo_md5", null,
        "-tA", "-c", "SELECT current_user");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout().strip()).isEqualTo(PostgresServer.MD5_USER);
  }

  @Test
  void theServerLogShowsDeniedStatementsNeverRan() throws Exception {
    servers.gateway().psql(servers.gateway().token("ci-runner", "readers"), null, "-c", "SELECT pg_sleep(0) FROM pg_read_file('/etc/hostname') x");
    if (PostgresServer.shared().logFile() != null) {
      assertThat(Files.readString(PostgresServer.shared().logFile())).doesNotContain("pg_read_file");
    }
  }
}
