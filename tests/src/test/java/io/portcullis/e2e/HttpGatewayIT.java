package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.approval.ApprovalRequest;
import io.portcullis.approval.ApprovalState;
import io.portcullis.document.Identity;
import io.portcullis.it.fixture.FreePorts;
import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.NginxServer;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP gateway end to end: the real curl (HTTP/1.1 and HTTP/2 over TLS with a test CA) through
 * the gateway to a real nginx, deciding with the repository's policies in a real OPA.
 */
class HttpGatewayIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static NginxServer nginx;
  private static OpaServer opa;
  private static GatewayFixture gw;
  private static Path certs;
  private static int tlsPort;
  private static int plainPort;
  private static UpgradeEchoServer echo;

  @BeforeAll
  static void start() throws Exception {
    nginx = NginxServer.start();
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    certs = TestCertificates.create();
    echo = UpgradeEchoServer.start();
    gw = GatewayFixture.startWithoutPostgres("url: " + opa.url() + "\n  timeout_ms: 1000\n  cache_enabled: true",
        targets(nginx.url(), certs) + "  - {name: ws-echo, protocol: http, listen: 127.0.0.1:0, url: "
            + echo.url() + ", bearer_token_env: UPSTREAM_TOKEN}\n", """
        http:
          max_header_bytes: 4096
          max_body_bytes: 65536
          approval_wait_s: 20
        """);
    tlsPort = gw.gateway().httpPort("customers-api");
    plainPort = gw.gateway().httpPort("customers-plain");
  }

  /** The two targets in front of nginx: one on TLS (h2 and h1.1), one plain on loopback. */
  static String targets(String upstream, Path certs) {
    return """
          - {name: customers-api, protocol: http, listen: 127.0.0.1:0, url: %1$s, bearer_token_env: UPSTREAM_TOKEN, tls: {cert_file: %2$s/server.crt, key_file: %2$s/server.key}}
          - {name: customers-plain, protocol: http, listen: 127.0.0.1:0, url: %1$s, bearer_token_env: UPSTREAM_TOKEN}
        """.formatted(upstream, certs);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    if (opa != null) {
      opa.close();
    }
    if (nginx != null) {
      nginx.close();
    }
    if (echo != null) {
      echo.close();
    }
  }

  /** curl's answer: status, HTTP version, headers and body. */
  record Answer(int status, String version, String headers, String body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  static Answer curl(String token, String path, String... more) throws Exception {
    return curlAt("https://127.0.0.1:" + tlsPort, token, path, more);
  }

  static Answer curlAt(String base, String token, String path, String... more) throws Exception {
    Path headers = Files.createTempFile("curl-headers-", ".txt");
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "--cacert",
        certs.resolve("ca.crt").toString(), "-D", headers.toString(), "-w", "\n%{http_code} %{http_version}"));
    if (token != null) {
      command.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    command.addAll(List.of(more));
    command.add(base + path);
    Processes.Result result = Processes.run(command, Map.of(), null, Duration.ofSeconds(40));
    String out = result.stdout();
    int cut = out.lastIndexOf('\n');
    String[] tail = out.substring(cut + 1).trim().split(" ");
    Answer answer = new Answer(Integer.parseInt(tail[0]), tail.length > 1 ? tail[1] : "",
        Files.readString(headers), out.substring(0, Math.max(cut, 0)));
    Files.deleteIfExists(headers);
    return answer;
  }

  private static String reader() {
    return gw.token("alice", "readers");
  }

  @Test
  void aReaderGetsACustomerWithCardAndSsnMaskedOverHttp11() throws Exception {
    Answer a = curl(reader(), "/api/customers/42", "--http1.1");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.version()).isEqualTo("1.1");
    JsonNode c = a.json();
    assertThat(c.get("id").asInt()).isEqualTo(42);
    assertThat(c.get("name").asText()).isEqualTo("Ann Example");
    assertThat(c.get("card_number").asText()).isEqualTo("************1111");
    assertThat(c.get("ssn").asText()).isEqualTo("[REDACTED]");
    assertThat(c.get("email").asText()).endsWith(".com").doesNotContain("ann@");
    // The card number in free text is masked by the credit_card pattern.
    assertThat(c.get("note").asText()).isEqualTo("paid with ***************0004");
  }

  @Test
  void theSameOverHttp2() throws Exception {
    Answer a = curl(reader(), "/api/customers/42", "--http2");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.version()).isEqualTo("2");
    assertThat(a.json().get("card_number").asText()).isEqualTo("************1111");
    assertThat(a.json().get("ssn").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void listsAreMaskedByPathIntoArrays() throws Exception {
    JsonNode items = curl(reader(), "/api/customers/list").json().get("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("card_number").asText()).isEqualTo("************1111");
    assertThat(items.get(1).get("ssn").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void aPiiReaderSeesTheRecordAsItIs() throws Exception {
    Answer a = curl(gw.token("pat", "readers", "pii_readers"), "/api/customers/42");
    assertThat(a.status()).isEqualTo(200);
    assertThat(JSON.readTree(a.body())).isEqualTo(JSON.readTree(NginxServer.CUSTOMER_42));
  }

  @Test
  void aResponseThatMustBeMaskedButIsNotJsonIsRefused() throws Exception {
    Answer a = curl(reader(), "/api/customers/page");
    assertThat(a.status()).isEqualTo(502);
    assertThat(a.body()).contains("not JSON").contains("not sent unmasked").doesNotContain("4111111111111111");
  }

  @Test
  void eachRequestIsOneDecisionLineAndOnRecordWithoutTheToken() throws Exception {
    String token = gw.token("audit-me", "readers");
    assertThat(curl(token, "/api/customers/42?b=2&a=1").status()).isEqualTo(200);
    assertThat(curl(token, "/api/customers/42", "-X", "PUT", "--data", "{}").status()).isEqualTo(403);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> lines = List.of();
    String audit = "";
    while (System.nanoTime() < deadline) {
      lines = Files.readAllLines(gw.dir().resolve("decisions.log")).stream()
          .filter(l -> l.contains("\"subject\":\"audit-me\"")).toList();
      audit = auditText();
      if (lines.size() == 2 && audit.contains("\"kind\":\"response\"") && audit.contains("audit-me")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"protocol\":\"http\"", "\"request\":\"GET /api/customers/42\"",
        "\"allow\":true");
    assertThat(lines.get(1)).contains("\"request\":\"PUT /api/customers/42\"", "\"allow\":false");
    assertThat(audit).contains("audit-me", "\"protocol\":\"http\"", "/api/customers/42");
    assertThat(audit + String.join("\n", lines)).doesNotContain(token);
  }

  private static String auditText() throws java.io.IOException {
    Path dir = gw.dataDir().resolve("audit");
    if (!Files.isDirectory(dir)) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        out.append(Files.readString(f));
      }
    }
    return out.toString();
  }

  @Test
  void aReaderMayNotWrite() throws Exception {
    Answer a = curl(reader(), "/api/customers", "-X", "POST", "-H", "Content-Type: application/json",
        "--data", "{\"name\":\"x\"}");
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.json().get("error").asText()).isEqualTo("forbidden");
    assertThat(a.json().get("reasons").get(0).asText()).isEqualTo("POST /api/customers: writes need group writers");
  }

  @Test
  void aWriterWrites() throws Exception {
    Answer a = curl(gw.token("wes", "writers"), "/api/customers", "-X", "POST", "-H",
        "Content-Type: application/json", "--data", "{\"name\":\"x\"}");
    assertThat(a.status()).isEqualTo(201);
  }

  @Test
  void aLargeBodyStreamsUpstreamOverBothProtocolsAndAChunkedOneOverTheLimitIs413() throws Exception {
    Path body = Files.createTempFile("body-", ".bin");
    Files.write(body, new byte[60_000]);
    for (String version : List.of("--http1.1", "--http2")) {
      Answer a = curl(gw.token("wes", "writers"), "/api/upload", version, "-X", "POST", "-H",
          "Content-Type: application/octet-stream", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + body);
      assertThat(a.status()).as(version).isEqualTo(201);
    }
    Files.write(body, new byte[70_000]);
    Answer over = curl(gw.token("wes", "writers"), "/api/upload", "--http1.1", "-X", "POST", "-H",
        "Content-Type: application/octet-stream", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + body);
    assertThat(over.status()).isEqualTo(413);
    assertThat(over.body()).contains("request body is larger than 65536 bytes");
    Files.deleteIfExists(body);
  }

  @Test
  void pathsOutsideThePolicyAreDenied() throws Exception {
    Answer a = curl(reader(), "/etc/passwd");
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.json().get("reasons").get(0).asText()).isEqualTo("/etc/passwd is outside the API (expected: /api/...)");
  }

  @Test
  void ambiguousPathEncodingsAreRefusedBeforeThePolicy() throws Exception {
    for (String path : List.of("/api/customers/%2e%2e/%2e%2e/etc/passwd", "/api%2Fadmin%2Fusers",
        "/api/customers/..%2f42", "/api/customers/42%00", "/api/customers/%252e%252e", "/api/../etc/passwd",
        "/api\\customers\\42")) {
      Answer a = curl(reader(), path, "--path-as-is");
      assertThat(a.status()).as(path).isEqualTo(400);
      assertThat(a.json().get("error").asText()).as(path).isEqualTo("bad_request");
    }
  }

  @Test
  void theDecisionsHeadersReachTheUpstreamAndTheClientsTokenDoesNot() throws Exception {
    String token = reader();
    Answer a = curl(token, "/api/echo", "-H", "X-Foo: bar", "-H", "X-Debug: 1");
    assertThat(a.status()).isEqualTo(200);
    JsonNode echo = a.json();
    assertThat(echo.get("x_foo").asText()).isEqualTo("bar");
    assertThat(echo.get("debug").asText()).isEmpty();
    assertThat(echo.get("subject").asText()).isEqualTo("alice");
    assertThat(echo.get("authorization").asText()).isEqualTo("Bearer gateway-own-token");
    assertThat(a.body()).doesNotContain(token);
    assertThat(echo.get("xff").asText()).isEqualTo("127.0.0.1");
  }

  @Test
  void anInvalidOrMissingTokenGets401() throws Exception {
    Answer bad = curl("not.a.jwt", "/api/customers/42");
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.headers().toLowerCase()).contains("www-authenticate: bearer");
    assertThat(bad.json().get("error").asText()).isEqualTo("unauthorized");
    Answer none = curl(null, "/api/customers/42");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body()).contains("missing bearer token");
  }

  @Test
  void oversizedHeadersAndBodiesAreRejected() throws Exception {
    Answer plainHeader = curlAt("http://127.0.0.1:" + plainPort, reader(), "/api/customers/42", "-H", "X-Big: " + "a".repeat(5000));
    assertThat(plainHeader.status()).isEqualTo(431);
    Answer header = curl(reader(), "/api/customers/42", "--http1.1", "-H", "X-Big: " + "a".repeat(5000));
    assertThat(header.status()).isEqualTo(431);
    assertThat(header.body()).contains("header_too_large");
    Answer body = curl(gw.token("wes", "writers"), "/api/customers", "-X", "POST", "-H",
        "Content-Type: application/octet-stream", "--data-binary", "x".repeat(70_000));
    assertThat(body.status()).isEqualTo(413);
    assertThat(body.body()).contains("payload_too_large").contains("70000");
    Answer url = curl(reader(), "/api/customers/" + "a".repeat(9000), "--http1.1");
    assertThat(url.status()).isIn(414, 431);
  }

  @Test
  void plainHttpOnLoopbackWorksToo() throws Exception {
    Answer a = curlAt("http://127.0.0.1:" + plainPort, reader(), "/api/customers/42");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("ssn").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void anAgentsDeleteWaitsForApprovalAndRunsOnceApproved() throws Exception {
    String token = gw.token("agent-7", "writers", "agents");
    CompletableFuture<Answer> pending = CompletableFuture.supplyAsync(() -> call(() ->
        curl(token, "/api/customers/42", "-X", "DELETE")));
    ApprovalRequest held = awaitPending("agent-7");
    assertThat(held.summary()).isEqualTo("DELETE /api/customers/42");
    gw.gateway().approvals().approve(held.id(), approver(), "fine");
    Answer a = pending.get(30, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(204);
  }

  @Test
  void anAgentsDeleteDeniedByTheApproverGets403SayingWhy() throws Exception {
    String token = gw.token("agent-8", "writers", "agents");
    CompletableFuture<Answer> pending = CompletableFuture.supplyAsync(() -> call(() ->
        curl(token, "/api/customers/42", "-X", "DELETE")));
    ApprovalRequest held = awaitPending("agent-8");
    gw.gateway().approvals().deny(held.id(), approver(), "not today");
    Answer a = pending.get(30, TimeUnit.SECONDS);
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.json().get("reasons").get(0).asText())
        .isEqualTo("approval " + held.id() + " was denied by bob: not today");
  }

  @Test
  void opaDownIs403FailClosed() throws Exception {
    try (GatewayFixture down = GatewayFixture.startWithoutPostgres("url: http://127.0.0.1:" + FreePorts.next()
        + "\n  timeout_ms: 500\n  cache_enabled: true", targets(nginx.url(), certs), "")) {
      Answer a = curlAt("https://127.0.0.1:" + down.gateway().httpPort("customers-api"),
          down.token("alice", "readers"), "/api/customers/42");
      assertThat(a.status()).isEqualTo(403);
      assertThat(a.json().get("reasons").get(0).asText()).startsWith("policy decision unavailable");
      assertThat(a.body()).doesNotContain("4111");
    }
  }

  @Test
  void anAllowedUpgradeBecomesAByteRelayBothWays() throws Exception {
    int port = gw.gateway().httpPort("ws-echo");
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      out.write(("GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + gw.token("pat", "readers", "pii_readers") + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          + "X-Foo: bar\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      var in = socket.getInputStream();
      String head = UpgradeEchoServer.readHead(in);
      assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket");
      out.write("hello relay".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      byte[] back = in.readNBytes("HELLO RELAY".length());
      assertThat(new String(back, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("HELLO RELAY");
    }
    // What the upstream saw: the gateway's token, never the client's.
    assertThat(echo.lastHead()).containsIgnoringCase("authorization: Bearer gateway-own-token")
        .containsIgnoringCase("upgrade: websocket").containsIgnoringCase("x-foo: bar");
  }

  @Test
  void aFailedUpgradeIsRelayedThenBothSidesClose() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", plainPort)) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      out.write(("GET /api/customers/42 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + gw.token("pat", "readers", "pii_readers") + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      String all = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      // nginx does not upgrade: its answer comes through, then the connection ends (readAllBytes saw EOF).
      assertThat(all).startsWith("HTTP/1.1 200").contains("\"card_number\":\"4111111111111111\"");
    }
  }

  @Test
  void anUpgradeWhoseDecisionMasksIsRefused() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gw.gateway().httpPort("ws-echo"))) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      out.write(("GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + reader()
          + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      String all = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.1 403").contains("an upgraded connection cannot be masked");
    }
  }

  private static Identity approver() {
    return new Identity("bob", "test", List.of("approvers"), Map.of(), "oidc_jwt");
  }

  private static ApprovalRequest awaitPending(String subject) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      for (ApprovalRequest r : gw.gateway().approvals().list(ApprovalState.PENDING)) {
        if (r.requester().subject().equals(subject)) {
          return r;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no pending approval for " + subject + " within 15 s");
  }

  interface Call<T> {
    T run() throws Exception;
  }

  private static <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
