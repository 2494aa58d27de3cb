package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import io.portcullis.it.fixture.WebhookReceiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Just-in-time approval of single statements, end to end: an agent's write is held, announced to
 * webhooks, and runs only once an approver in group dba approves it through the admin API or the
 * CLI; denied, expired or abandoned, it never reaches the server and the session goes on.
 */
class ApprovalIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static WebhookReceiver webhooks;
  private static List<String> hooks;
  private static OpaServer opa;
  private static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    webhooks = WebhookReceiver.start();
    hooks = webhooks.received();
    String hookBase = webhooks.url();
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    gw = GatewayFixture.startWith(PostgresServer.shared(), opa.url(), """
        approvals:
          webhooks:
            - {url: %1$s/json, format: json}
            - {url: %1$s/slack, format: slack}
        """.formatted(hookBase));
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (opa != null) {
      opa.close();
    }
    if (webhooks != null) {
      webhooks.close();
    }
  }

  private static String agent() {
    return gw.token("agent-7", "readers", "agents");
  }

  private static String dba() {
    return gw.token("dba-1", "readers", "dba");
  }

  private static CompletableFuture<Processes.Result> psqlInBackground(GatewayFixture g, String token, String stdin) {
    return CompletableFuture.supplyAsync(() -> g.psql(token, stdin, "-tA"));
  }

  private static HttpResponse<String> api(GatewayFixture g, String method, String path, String token, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(g.adminUrl() + path))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token);
    request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
        : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits (at most 15 s) for the one pending approval whose summary contains {@code marker}. */
  private static JsonNode pending(GatewayFixture g, String marker) throws Exception {
    for (int i = 0; i < 150; i++) {
      JsonNode list = JSON.readTree(api(g, "GET", "/api/v1/approvals?state=pending", dba(), null).body());
      JsonNode items = list.has("approvals") ? list.get("approvals") : list;
      for (JsonNode item : items) {
        if (item.toString().contains(marker)) {
          return item;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no pending approval for " + marker);
  }

  private static String status(int order) throws Exception {
    return PostgresServer.shared().queryAsSuperuser("demo", "SELECT status FROM orders WHERE id = " + order).strip();
  }

  @Test
  void anApprovedStatementRunsOnceAndTheClientWasToldWhatItWaitsFor() throws Exception {
    var run = psqlInBackground(gw, agent(), "UPDATE orders SET status = 'approved-11' WHERE id = 11;\n");
    JsonNode held = pending(gw, "approved-11");
    String id = held.get("id").asText();
    assertThat(status(11)).isNotEqualTo("approved-11");
    HttpResponse<String> approved = api(gw, "POST", "/api/v1/approvals/" + id + "/approve", dba(), "{\"comment\": \"ok\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    Processes.Result r = run.get(30, TimeUnit.SECONDS);
    assertThat(r.stdout()).contains("UPDATE 1");
    assertThat(r.stderr()).contains("statement held for approval " + id, "group:dba");
    assertThat(status(11)).isEqualTo("approved-11");
    HttpResponse<String> again = api(gw, "POST", "/api/v1/approvals/" + id + "/approve", dba(), null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(hooks).anySatisfy(h -> assertThat(h).startsWith("/json ").contains(id));
    assertThat(hooks).anySatisfy(h -> assertThat(h).startsWith("/slack ").contains("\"text\"").contains(id));
  }

  @Test
  void aDeniedStatementNeverRunsAndTheSessionGoesOn() throws Exception {
    var run = psqlInBackground(gw, agent(), """
        UPDATE orders SET status = 'denied-12' WHERE id = 12;
        SELECT 'still here';
        """);
    String id = pending(gw, "denied-12").get("id").asText();
    HttpResponse<String> denied = api(gw, "POST", "/api/v1/approvals/" + id + "/deny", dba(), "{\"reason\": \"not during the freeze\"}");
    assertThat(denied.statusCode()).as(denied.body()).isEqualTo(200);
    Processes.Result r = run.get(30, TimeUnit.SECONDS);
    assertThat(r.stderr()).contains("ERROR:  portcullis: approval " + id + " was denied by dba-1: not during the freeze");
    assertThat(r.stdout()).contains("still here");
    assertThat(status(12)).isNotEqualTo("denied-12");
  }

  @Test
  void theRequesterAndNonApproversCannotApprove() throws Exception {
    String both = gw.token("agent-9", "readers", "agents", "dba");
    var run = psqlInBackground(gw, both, "UPDATE orders SET status = 'self-13' WHERE id = 13;\n");
    String id = pending(gw, "self-13").get("id").asText();
    assertThat(api(gw, "POST", "/api/v1/approvals/" + id + "/approve", both, null).statusCode()).isEqualTo(403);
    assertThat(api(gw, "POST", "/api/v1/approvals/" + id + "/approve",
        gw.token("reader-1", "readers"), null).statusCode()).isEqualTo(403);
    assertThat(api(gw, "POST", "/api/v1/approvals/" + id + "/approve", "not-a-token", null).statusCode()).isEqualTo(401);
    assertThat(status(13)).isNotEqualTo("self-13");
    assertThat(api(gw, "POST", "/api/v1/approvals/" + id + "/deny", dba(), "{\"reason\": \"cleanup\"}").statusCode())
        .isEqualTo(200);
    assertThat(run.get(30, TimeUnit.SECONDS).stderr()).contains("was denied by dba-1");
  }

  @Test
  void theCliApprovesAndLists() throws Exception {
    var run = psqlInBackground(gw, agent(), "UPDATE orders SET status = 'cli-14' WHERE id = 14;\n");
    String id = pending(gw, "cli-14").get("id").asText();
    Processes.Result list = cli("approvals", "list", "--state", "pending");
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.stdout()).contains(id, "agent-7");
    Processes.Result approve = cli("approvals", "approve", id, "--comment", "via cli");
    assertThat(approve.exitCode()).as(approve.output()).isZero();
    assertThat(run.get(30, TimeUnit.SECONDS).stdout()).contains("UPDATE 1");
    assertThat(status(14)).isEqualTo("cli-14");
  }

  @Test
  void aClientThatGoesAwayCancelsItsApproval() throws Exception {
    Connection c = gw.jdbc(agent());
    var run = CompletableFuture.runAsync(() -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET status = 'gone-15' WHERE id = ?")) {
        ps.setInt(1, 15);
        ps.executeUpdate();
      } catch (SQLException expected) {
        // The connection is aborted below.
      }
    });
    String id = pending(gw, "gone-15").get("id").asText();
    c.abort(Runnable::run);
    run.get(30, TimeUnit.SECONDS);
    String state = "";
    for (int i = 0; i < 100 && !state.equals("cancelled"); i++) {
      state = JSON.readTree(api(gw, "GET", "/api/v1/approvals/" + id, dba(), null).body()).path("state").asText();
      Thread.sleep(100);
    }
    assertThat(state).isEqualTo("cancelled");
    assertThat(api(gw, "POST", "/api/v1/approvals/" + id + "/approve", dba(), null).statusCode()).isEqualTo(409);
    assertThat(status(15)).isNotEqualTo("gone-15");
  }

  @Test
  void aCancelledStatementCancelsItsApprovalAndTheSessionGoesOn() throws Exception {
    try (Connection c = gw.jdbc(agent()); java.sql.Statement s = c.createStatement()) {
      var run = CompletableFuture.supplyAsync(() -> {
        try {
          s.executeUpdate("UPDATE orders SET status = 'cancel-18' WHERE id = 18");
          return "ran";
        } catch (SQLException e) {
          return e.getSQLState() + " " + e.getMessage();
        }
      });
      String id = pending(gw, "cancel-18").get("id").asText();
      s.cancel();
      assertThat(run.get(30, TimeUnit.SECONDS))
          .startsWith("42501").contains("approval " + id + " was cancelled: the client cancelled the statement");
      try (var rs = c.createStatement().executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
    assertThat(status(18)).isNotEqualTo("cancel-18");
  }

  @Test
  void jdbcPreparedWriteRunsOnceApproved() throws Exception {
    try (Connection c = gw.jdbc(agent());
        PreparedStatement ps = c.prepareStatement("UPDATE orders SET status = ? WHERE id = 16")) {
      ps.setString(1, "jdbc-16");
      var run = CompletableFuture.supplyAsync(() -> {
        try {
          return ps.executeUpdate();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      String id = pending(gw, "WHERE id = 16").get("id").asText();
      assertThat(api(gw, "POST", "/api/v1/approvals/" + id + "/approve", dba(), null).statusCode()).isEqualTo(200);
      assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    }
    assertThat(status(16)).isEqualTo("jdbc-16");
  }

  @Test
  void anExpiredApprovalNeverRuns() throws Exception {
    try (GatewayFixture quick = GatewayFixture.startWith(PostgresServer.shared(), opa.url(), """
        approvals:
          default_timeout_s: 1
          max_timeout_s: 1
        """)) {
      Processes.Result r = quick.psql(quick.token("agent-7", "readers", "agents"), """
          UPDATE orders SET status = 'expired-17' WHERE id = 17;
          SELECT 'after expiry';
          """, "-tA");
      assertThat(r.stderr()).contains("expired at").contains("before anyone approved it");
      assertThat(r.stdout()).contains("after expiry");
    }
    assertThat(status(17)).isNotEqualTo("expired-17");
  }

  private static Processes.Result cli(String... args) throws IOException {
    Path jar;
    try (Stream<Path> files = Files.list(Repo.root().resolve("pep-proxy/target"))) {
      jar = files.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("pep-proxy/target/*-all.jar is not built"));
    }
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--admin-url", gw.adminUrl()));
    return Processes.run(command, Map.of("PORTCULLIS_TOKEN", dba()), null, Duration.ofSeconds(60));
  }
}
