package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.audit.AuditQueries;
import io.portcullis.audit.AuditReader;
import io.portcullis.audit.AuditSettings;
import io.portcullis.audit.SessionSummary;
import io.portcullis.it.fixture.FakeKubeApiServer;
import io.portcullis.it.fixture.FakeKubeApiServer.Seen;
import io.portcullis.it.fixture.FreePorts;
import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.Kubectl;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl through the gateway to a fake Kubernetes API server (fabric8's mock in CRUD
 * mode, over HTTPS): reads, watches, refused deletes, exec decided on its command, impersonation
 * stripped, proxy subresources refused, Secret values masked, a delete held for approval, an
 * invalid token, and OPA down. The fake server's request log proves what reached the upstream.
 */
class KubernetesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String GATEWAY_TOKEN = "gateway-only-credential-4f1c";
  private static final String SECRET_VALUE = "s3cr3t-db-password";

  private static FakeKubeApiServer fake;
  private static OpaServer opa;
  private static GatewayFixture gw;
  private static Path dir;
  private static String server;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeKubeApiServer.start();
    seed();
    dir = Files.createTempDirectory("portcullis-k8s-");
    // The gateway's own certificate for 127.0.0.1, which kubectl trusts as its CA.
    Processes.check(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.resolve("gw.key").toString(), "-out",
        dir.resolve("gw.crt").toString(), "-days", "1", "-subj", "/CN=portcullis-test",
        "-addext", "subjectAltName=IP:127.0.0.1"), Duration.ofSeconds(30));
    Files.writeString(dir.resolve("kube-token"), GATEWAY_TOKEN + "\n");
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    gw = GatewayFixture.start(PostgresServer.shared(), "url: " + opa.url() + "\n  timeout_ms: 1000",
        "allow_cleartext_on_loopback: true", target(), "");
    server = "https://127.0.0.1:" + gw.gateway().httpPort("prod-cluster");
  }

  private static String target() {
    return """
          - {name: prod-cluster, protocol: kubernetes, listen: "127.0.0.1:0", url: "%s", ca_file: "%s", bearer_token_file: "%s", tls: {cert_file: "%s", key_file: "%s"}}
        """.formatted(fake.url(), fake.caFile(), dir.resolve("kube-token"), dir.resolve("gw.crt"),
        dir.resolve("gw.key"));
  }

  private static void seed() {
    pod("dev", "web-1");
    deployment("prod", "api");
    deployment("prod", "api2");
    String secret = """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"prod"},
         "type":"Opaque","data":{"password":"%s","user":"%s"}}""".formatted(
        Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes()),
        Base64.getEncoder().encodeToString("app".getBytes()));
    assertThat(fake.create("/api/v1/namespaces/prod/secrets", secret)).isLessThan(300);
  }

  private static void pod(String namespace, String name) {
    assertThat(fake.create("/api/v1/namespaces/" + namespace + "/pods", """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"containers":[{"name":"app","image":"nginx"}]},"status":{"phase":"Running"}}"""
        .formatted(name, namespace))).isLessThan(300);
  }

  private static void deployment(String namespace, String name) {
    assertThat(fake.create("/apis/apps/v1/namespaces/" + namespace + "/deployments", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"%s"}},
          "template":{"metadata":{"labels":{"app":"%s"}},
           "spec":{"containers":[{"name":"app","image":"nginx"}]}}}}"""
        .formatted(name, namespace, name, name))).isLessThan(300);
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (opa != null) {
      opa.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  private static Kubectl as(String subject, String... groups) throws Exception {
    return Kubectl.configure(server, dir.resolve("gw.crt"), gw.token(subject, groups));
  }

  private static List<Seen> upstream(String pathPart) {
    return fake.requests().stream().filter(r -> r.path().contains(pathPart)).toList();
  }

  @Test
  void getAndListGoThroughWithTheGatewaysCredentialsOnly() throws Exception {
    Kubectl reader = as("reader-1", "readers");
    Processes.Result list = reader.run("get", "pods", "-n", "dev");
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.stdout()).contains("web-1");
    Processes.Result get = reader.run("get", "pod", "web-1", "-n", "dev", "-o", "json");
    assertThat(get.exitCode()).as(get.output()).isZero();
    assertThat(JSON.readTree(get.stdout()).path("metadata").path("name").asText()).isEqualTo("web-1");
    List<Seen> seen = upstream("/api/v1/namespaces/dev/pods");
    assertThat(seen).isNotEmpty().allSatisfy(r ->
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + GATEWAY_TOKEN));
    // Namespaces outside the readers' list are refused with the policy's reason.
    Processes.Result system = reader.run("get", "pods", "-n", "kube-system");
    assertThat(system.exitCode()).isNotZero();
    assertThat(system.output()).contains("Error from server (Forbidden)")
        .contains("no group grants list pods on prod-cluster in namespace kube-system");
    assertThat(upstream("/namespaces/kube-system/")).isEmpty();
    // Counted by protocol and verdict, as for PostgreSQL.
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(gw.adminUrl() + "/metrics"))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    for (String verdict : List.of("allow", "deny")) {
      assertThat(metrics.lines().filter(l -> l.startsWith("portcullis_requests_total{")
          && l.contains("protocol=\"kubernetes\"") && l.contains("target=\"prod-cluster\"")
          && l.contains("verdict=\"" + verdict + "\""))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum())
          .as("kubernetes requests counted %s", verdict).isPositive();
    }
  }

  @Test
  void watchSeesAPodCreatedWhileItRuns() throws Exception {
    Kubectl reader = as("reader-2", "readers");
    CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(1500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      assertThat(fake.create("/api/v1/namespaces/staging/pods", """
          {"apiVersion":"v1","kind":"Pod","metadata":{"name":"watched","namespace":"staging"},
           "spec":{"containers":[{"name":"app","image":"nginx"}]}}""")).isLessThan(300);
    });
    Processes.Result watch = reader.runFor(8, "get", "pods", "-n", "staging", "-w");
    later.get(10, TimeUnit.SECONDS);
    assertThat(watch.stdout()).as(watch.output()).contains("watched");
    assertThat(upstream("/api/v1/namespaces/staging/pods?")).anySatisfy(r ->
        assertThat(r.path()).contains("watch=true"));
  }

  @Test
  void anAgentsDeleteInProdIsRefusedWithThePolicysReason() throws Exception {
    Processes.Result delete = as("agent-7", "agents").run("delete", "deployment", "api", "-n", "prod");
    assertThat(delete.exitCode()).isNotZero();
    assertThat(delete.output()).contains(
        "Error from server (Forbidden): delete in namespace prod is never allowed for agents");
    assertThat(fake.exists("/apis/apps/v1/namespaces/prod/deployments/api")).isTrue();
    // The refusal is on record: a kubernetes session of agent-7 with a denied request.
    SessionSummary session = null;
    for (int i = 0; i < 150 && session == null; i++) {
      session = new AuditQueries(AuditReader.embeddedLive(AuditSettings.directory(gw.dataDir())).records())
          .sessions(new AuditQueries.SessionFilter("agent-7", null, null, null, null, null, null)).stream()
          .filter(x -> x.denied() > 0).findFirst().orElse(null);
      if (session == null) {
        Thread.sleep(100);
      }
    }
    assertThat(session).as("agent-7's session in the audit log").isNotNull();
    assertThat(session.protocol()).isEqualTo("kubernetes");
    assertThat(session.target()).isEqualTo("prod-cluster");
    assertThat(fake.requests()).noneMatch(r -> r.method().equals("DELETE")
        && r.path().startsWith("/apis/apps/v1/namespaces/prod/deployments/api?")
        || r.path().equals("/apis/apps/v1/namespaces/prod/deployments/api"));
  }

  @Test
  void execIsDecidedOnItsCommand() throws Exception {
    Kubectl agent = as("agent-8", "agents");
    // The fake server cannot run the command (its exec WebSocket speaks v1 to v4, kubectl 1.32 v5
    // only), so the proof is its request log: the allowed exec reached it as the upgrade kubectl
    // asked for, the denied one never did.
    Processes.Result allowed = agent.run("exec", "web-1", "-n", "dev", "-c", "app", "--", "ls", "-l");
    assertThat(allowed.output()).doesNotContain("Forbidden");
    assertThat(upstream("/pods/web-1/exec")).anySatisfy(r -> {
      assertThat(r.method()).isEqualTo("GET");
      assertThat(r.path()).contains("command=ls&command=-l&container=app");
      assertThat(r.header("Upgrade")).isEqualToIgnoringCase("websocket");
    });
    Processes.Result denied = agent.run("exec", "web-1", "-n", "dev", "-c", "app", "--", "sh", "-c", "id");
    assertThat(denied.exitCode()).isNotZero();
    assertThat(denied.output()).contains("Error from server (Forbidden)")
        .contains("exec of sh -c id in dev/web-1 container app is not allowed");
    assertThat(upstream("/pods/web-1/exec")).noneMatch(r -> r.path().contains("command=sh"));
    Processes.Result kubeSystem = agent.run("exec", "web-1", "-n", "kube-system", "-c", "app", "--", "ls");
    assertThat(kubeSystem.output()).contains("Forbidden");
  }

  @Test
  void impersonationHeadersNeverReachTheApiServer() throws Exception {
    Kubectl reader = as("reader-3", "readers");
    Processes.Result as = reader.run("--as=admin", "--as-group=system:masters", "get", "pods", "-n", "dev");
    assertThat(as.exitCode()).as(as.output()).isZero();
    assertThat(as.stdout()).contains("web-1");
    // The request went through as the identity the token proves, decided for it, and without the
    // client's Impersonate-* headers (kubectl did send them: the gateway dropped them).
    Processes.Result other = reader.run("--as=admin", "--as-group=system:masters", "get", "pods", "-n",
        "kube-system");
    assertThat(other.output()).contains("Forbidden");
    assertThat(fake.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.headers().keySet())
        .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("impersonate-")));
  }

  @Test
  void proxySubresourcesAreRefused() throws Exception {
    Kubectl sre = as("sre-1", "sre");
    Processes.Result nodes = sre.run("get", "--raw", "/api/v1/nodes/x/proxy/");
    assertThat(nodes.exitCode()).isNotZero();
    assertThat(nodes.output()).contains(
        "nodes/proxy is never allowed through the gateway: it reaches past the API server");
    Processes.Result services = sre.run("get", "--raw", "/api/v1/namespaces/dev/services/web:80/proxy/");
    assertThat(services.output()).contains("services/proxy is never allowed");
    assertThat(fake.requests()).noneMatch(r -> r.path().contains("/proxy"));
    // A path the gateway and the API server could read differently never gets to the policy.
    // (kubectl decodes %2F itself, so curl sends it as it is.)
    Processes.Result encoded = Processes.run(List.of("curl", "-sS", "--path-as-is", "--cacert",
        dir.resolve("gw.crt").toString(), "-H", "Authorization: Bearer " + gw.token("sre-5", "sre"),
        "-w", "\n%{http_code}", server + "/api/v1/namespaces/prod%2Fx/pods"), Map.of(), null,
        Duration.ofSeconds(20));
    String[] lines = encoded.stdout().strip().split("\n");
    assertThat(lines[lines.length - 1]).as(encoded.output()).isEqualTo("400");
    assertThat(JSON.readTree(lines[0]).path("reason").asText()).isEqualTo("BadRequest");
    assertThat(fake.requests()).noneMatch(r -> r.path().toLowerCase(java.util.Locale.ROOT).contains("%2f"));
  }

  @Test
  void secretValuesAreMasked() throws Exception {
    Kubectl reader = as("reader-4", "readers");
    Processes.Result one = reader.run("get", "secret", "db", "-n", "prod", "-o", "json");
    assertThat(one.exitCode()).as(one.output()).isZero();
    JsonNode secret = JSON.readTree(one.stdout());
    assertThat(secret.path("data").path("password").asText()).isEqualTo("[REDACTED]");
    assertThat(secret.path("data").path("user").asText()).isEqualTo("[REDACTED]");
    assertThat(secret.path("metadata").path("name").asText()).isEqualTo("db");
    Processes.Result list = reader.run("get", "secrets", "-n", "prod", "-o", "json");
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(JSON.readTree(list.stdout()).path("items").get(0).path("data").path("password").asText())
        .isEqualTo("[REDACTED]");
    String encoded = Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes());
    assertThat(one.output() + list.output()).doesNotContain(encoded).doesNotContain(SECRET_VALUE);
    // The API server was asked for JSON only, so no protobuf could bypass the masker.
    assertThat(upstream("/api/v1/namespaces/prod/secrets")).isNotEmpty().allSatisfy(r ->
        assertThat(r.header("Accept")).isEqualTo("application/json"));
    // kubectl's default table asks for a server-side Table; masked, it gets the list as JSON and
    // prints it itself.
    Processes.Result table = reader.run("get", "secrets", "-n", "prod");
    assertThat(table.exitCode()).as(table.output()).isZero();
    assertThat(table.stdout()).contains("db");
    // A watch would stream unmasked objects: refused.
    Processes.Result watch = reader.runFor(5, "get", "secrets", "-n", "prod", "-w");
    assertThat(watch.output()).contains("watching secrets is not allowed");
  }

  @Test
  void aDeployersDeleteInProdWaitsForAnSreApproval() throws Exception {
    Kubectl deployer = as("deployer-1", "deployers");
    CompletableFuture<Processes.Result> delete = CompletableFuture.supplyAsync(() ->
        deployer.run(Duration.ofSeconds(40), "delete", "deployment", "api2", "-n", "prod"));
    String id = pendingApproval("prod/api2");
    assertThat(fake.exists("/apis/apps/v1/namespaces/prod/deployments/api2")).isTrue();
    String sre = gw.token("sre-2", "sre");
    HttpResponse<String> approved = HTTP.send(HttpRequest.newBuilder(
            URI.create(gw.adminUrl() + "/api/v1/approvals/" + id + "/approve"))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + sre)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"comment\": \"planned\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    Processes.Result done = delete.get(30, TimeUnit.SECONDS);
    assertThat(done.exitCode()).as(done.output()).isZero();
    assertThat(done.stdout()).contains("deleted");
    assertThat(fake.exists("/apis/apps/v1/namespaces/prod/deployments/api2")).isFalse();
  }

  @Test
  void aDeniedApprovalRefusesTheDeleteWithTheApproversReason() throws Exception {
    deployment("prod", "api3");
    Kubectl deployer = as("deployer-2", "deployers");
    CompletableFuture<Processes.Result> delete = CompletableFuture.supplyAsync(() ->
        deployer.run(Duration.ofSeconds(40), "delete", "deployment", "api3", "-n", "prod"));
    String id = pendingApproval("prod/api3");
    HttpResponse<String> denied = HTTP.send(HttpRequest.newBuilder(
            URI.create(gw.adminUrl() + "/api/v1/approvals/" + id + "/deny"))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + gw.token("sre-4", "sre"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"not during the freeze\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(denied.statusCode()).as(denied.body()).isEqualTo(200);
    Processes.Result done = delete.get(30, TimeUnit.SECONDS);
    assertThat(done.exitCode()).isNotZero();
    assertThat(done.output()).contains("Forbidden").contains("not during the freeze");
    assertThat(fake.exists("/apis/apps/v1/namespaces/prod/deployments/api3")).isTrue();
  }

  private static String pendingApproval(String marker) throws Exception {
    String sre = gw.token("sre-3", "sre");
    for (int i = 0; i < 150; i++) {
      HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(
              URI.create(gw.adminUrl() + "/api/v1/approvals?state=pending"))
          .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + sre).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(list.body());
      JsonNode items = body.has("approvals") ? body.get("approvals") : body;
      for (JsonNode item : items) {
        if (item.toString().contains(marker)) {
          return item.path("id").asText();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no pending approval for " + marker);
  }

  @Test
  void anInvalidTokenIsUnauthorized() throws Exception {
    Kubectl bogus = Kubectl.configure(server, dir.resolve("gw.crt"), "not-a-jwt");
    Processes.Result result = bogus.run("get", "pods", "-n", "dev");
    assertThat(result.exitCode()).isNotZero();
    // kubectl's words for a 401 from the API server.
    assertThat(result.output()).contains("error: You must be logged in to the server");
    Processes.Result curl = Processes.run(List.of("curl", "-sS", "--cacert", dir.resolve("gw.crt").toString(),
        "-H", "Authorization: Bearer not-a-jwt", "-w", "\n%{http_code}", server + "/api/v1/namespaces/dev/pods"),
        Map.of(), null, Duration.ofSeconds(20));
    String[] lines = curl.stdout().strip().split("\n");
    assertThat(lines[lines.length - 1]).isEqualTo("401");
    JsonNode status = JSON.readTree(lines[0]);
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("reason").asText()).isEqualTo("Unauthorized");
    assertThat(status.path("code").asInt()).isEqualTo(401);
  }

  @Test
  void opaDownIsForbidden() throws Exception {
    String dead = "url: http://127.0.0.1:" + FreePorts.next() + "\n  timeout_ms: 500";
    try (GatewayFixture down = GatewayFixture.start(PostgresServer.shared(), dead,
        "allow_cleartext_on_loopback: true", target(), "")) {
      String url = "https://127.0.0.1:" + down.gateway().httpPort("prod-cluster");
      Kubectl reader = Kubectl.configure(url, dir.resolve("gw.crt"), down.token("reader-5", "readers"));
      int before = fake.requests().size();
      Processes.Result result = reader.run("get", "--raw", "/api/v1/namespaces/dev/pods");
      assertThat(result.exitCode()).isNotZero();
      assertThat(result.output()).contains("Forbidden");
      assertThat(fake.requests()).hasSize(before);
    }
  }

  @Test
  void aWatchEndsWhenTheTokenExpires() throws Exception {
    var claims = gw.validClaims("reader-6").claim("groups", List.of("readers"))
        .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(3))).build();
    String token = gw.tokenWith(claims);
    long started = System.nanoTime();
    // The fake server holds this watch open for 8 s; the gateway must end it at the token's expiry.
    Processes.Result curl = Processes.run(List.of("curl", "-sS", "-N", "--max-time", "20", "--cacert",
        dir.resolve("gw.crt").toString(), "-H", "Authorization: Bearer " + token,
        server + "/api/v1/namespaces/dev/pods?watch=true&resourceVersion=999999&timeoutSeconds=8"), Map.of(), null,
        Duration.ofSeconds(30));
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(seconds).as(curl.output()).isLessThan(7.0);
    assertThat(curl.exitCode()).as(curl.output()).isNotZero();
  }
}
