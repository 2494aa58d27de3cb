package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the audit log in PostgreSQL, approvals live there too: a held statement's approval is in
 * the append-only table, and still there, decided, after the gateway restarts.
 */
class ApprovalPostgresStoreIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static OpaServer opa;
  private static String database;

  @BeforeAll
  static void start() {
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    database = "approvals_" + ProcessHandle.current().pid();
    PostgresServer.shared().execAsSuperuser("postgres",
        "CREATE DATABASE " + database + " OWNER " + PostgresServer.GATEWAY_USER);
  }

  @AfterAll
  static void stop() {
    if (opa != null) {
      opa.close();
    }
  }

  private static GatewayFixture gateway() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    return GatewayFixture.startWith(pg, opa.url(), """
        audit:
          store: postgres
          postgres: {host: %s, port: %d, database: %s, user: %s, password_env: DEMO_PW, chain: approvals-it}
        """.formatted(pg.host(), pg.port(), database, PostgresServer.GATEWAY_USER));
  }

  private static JsonNode get(GatewayFixture gw, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(gw.adminUrl() + path))
        .header("Authorization", "Bearer " + gw.token("dba-1", "readers", "dba"))
        .timeout(Duration.ofSeconds(10)).build();
    return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  @Test
  void anApprovalIsKeptInTheAuditDatabaseAndSurvivesARestart() throws Exception {
    String id;
    try (GatewayFixture gw = gateway()) {
      CompletableFuture<Processes.Result> run = CompletableFuture.supplyAsync(() ->
          gw.psql(gw.token("agent-7", "readers", "agents"), "UPDATE orders SET status = 'pg-19' WHERE id = 19;\n", "-tA"));
      JsonNode held = null;
      for (int i = 0; i < 150 && held == null; i++) {
        for (JsonNode item : get(gw, "/api/v1/approvals?state=pending").path("approvals")) {
          if (item.toString().contains("pg-19")) {
            held = item;
          }
        }
        Thread.sleep(100);
      }
      assertThat(held).as("a pending approval").isNotNull();
      id = held.get("id").asText();
      HttpRequest approve = HttpRequest.newBuilder(URI.create(gw.adminUrl() + "/api/v1/approvals/" + id + "/approve"))
          .header("Authorization", "Bearer " + gw.token("dba-1", "readers", "dba"))
          .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
      assertThat(HTTP.send(approve, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(run.get(30, TimeUnit.SECONDS).stdout()).contains("UPDATE 1");
    }
    PostgresServer pg = PostgresServer.shared();
    assertThat(pg.queryAsSuperuser(database,
        "SELECT count(*) FROM portcullis_audit.approval_events WHERE approval_id = '" + id + "'")).isEqualTo("2");
    assertThatThrownBy(() -> pg.execAsSuperuser(database, "DELETE FROM portcullis_audit.approval_events"))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> pg.execAsSuperuser(database, "UPDATE portcullis_audit.approval_events SET event = ''"))
        .hasMessageContaining("append-only");
    try (GatewayFixture again = gateway()) {
      assertThat(get(again, "/api/v1/approvals/" + id).path("state").asText()).isEqualTo("approved");
    }
  }
}
