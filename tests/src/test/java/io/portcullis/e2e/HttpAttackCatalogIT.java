package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.NginxServer;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP attack catalogue: every way we know to get a request past the HTTP policy, a masked
 * value past the mask or a client's credential to the upstream, sent as raw bytes over a socket
 * (or with the real curl over HTTP/2) through the gateway to the real nginx. nginx's access log
 * (request line, method, its own normalised URI, selected headers) is the witness of what reached
 * the target: the requests each row added to it are judged against what the default policy
 * forbids (a path outside {@code /api/} or under {@code /api/admin}, a write or a write-meaning
 * override header from a reader, a client's Authorization, a header the policy removes, a subject
 * other than the caller's). The figure, "requests that policy forbids which reached the target",
 * must be 0.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpAttackCatalogIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RAW_PII = Pattern.compile("4111111111111111|5500000000000004|123-45-6789|ann@example\\.com|111-22-3333");
  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private static NginxServer nginx;
  private static OpaServer opa;
  private static GatewayFixture gw;
  private static Path certs;
  private static int plainPort;
  private static int tlsPort;

  /** What a row expects of the gateway. */
  enum Verdict {
    /** Refused: a 4xx/5xx answer or the connection closed without one; nothing forbidden reaches nginx. */
    REFUSED,
    /** Let through (a 2xx/3xx/404 from nginx), and still nothing forbidden reaches nginx. */
    ALLOWED,
    /** Either, as long as nothing forbidden reaches nginx and nothing unmasked comes back. */
    EITHER
  }

  /** A payload: raw HTTP/1.1 bytes to the plain listener, or curl arguments against the TLS one. */
  sealed interface Payload permits Raw, Curl {}

  /** Raw bytes; {@code {token}} is replaced by the caller's bearer token. */
  record Raw(String bytes) implements Payload {}

  /** curl arguments (HTTP/2 over TLS); the path is the last one. */
  record Curl(List<String> args) implements Payload {}

  /**
   * One row: who sends it (a reader, else a writer; {@code subjectSuffix} is appended to the
   * token's subject), the payload and the verdict.
   */
  record Row(int no, String what, boolean writer, Verdict verdict, Payload payload, String subjectSuffix) {
    String subject() {
      return "http-attacker-" + no + subjectSuffix;
    }

    @Override
    public String toString() {
      return "http_%03d %s".formatted(no, what);
    }
  }

  /** What a row saw: the statuses returned, the new access log lines and the forbidden ones. */
  record Seen(List<Integer> statuses, String response, List<JsonNode> reached, List<String> forbidden, boolean leaked) {}

  private static final Map<Integer, Seen> seen = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    nginx = NginxServer.start();
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    certs = TestCertificates.create();
    gw = GatewayFixture.startWithoutPostgres("url: " + opa.url() + "\n  timeout_ms: 1000\n  cache_enabled: true",
        HttpGatewayIT.targets(nginx.url(), certs), """
        http:
          max_header_bytes: 4096
          max_body_bytes: 65536
          approval_wait_s: 5
        """);
    tlsPort = gw.gateway().httpPort("customers-api");
    plainPort = gw.gateway().httpPort("customers-plain");
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (opa != null) {
      opa.close();
    }
    if (nginx != null) {
      nginx.close();
    }
  }

  /** A GET of {@code target} with {@code extra} header lines (each ending in CRLF) and Connection: close. */
  private static String get(String target, String extra) {
    return req("GET", target, extra);
  }

  private static String req(String method, String target, String extra) {
    return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n" + extra
        + "Connection: close\r\n\r\n";
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    Builder b = new Builder(rows);
    // ---- paths: traversal and normalisation ----
    b.raw("dot-dot to the admin API", Verdict.REFUSED, get("/api/../admin", ""));
    b.raw("dot-dot below /api to the admin API", Verdict.REFUSED, get("/api/customers/../admin/users", ""));
    b.raw("encoded dot-dot %2e%2e", Verdict.REFUSED, get("/api/%2e%2e/admin", ""));
    b.raw("encoded dot-dot %2E%2E upper case", Verdict.REFUSED, get("/api/customers/%2E%2E/%2E%2E/etc/passwd", ""));
    b.raw("half-encoded .%2e", Verdict.REFUSED, get("/api/.%2e/admin", ""));
    b.raw("encoded slash %2F", Verdict.REFUSED, get("/api%2Fadmin%2Fusers", ""));
    b.raw("encoded slash %2f after a dot-dot", Verdict.REFUSED, get("/api/customers/..%2f..%2fadmin", ""));
    b.raw("double-encoded %252e%252e", Verdict.EITHER, get("/api/%252e%252e/admin", ""));
    b.raw("double slash in front", Verdict.REFUSED, get("//admin/users", ""));
    b.raw("double slash inside /api", Verdict.EITHER, get("/api//admin/users", ""));
    b.raw("single-dot segment before admin", Verdict.EITHER, get("/api/./admin/users", ""));
    b.raw("path parameter ;x on admin", Verdict.EITHER, get("/api/admin;x=1/users", ""));
    b.raw("Tomcat ..; segments", Verdict.EITHER, get("/api/customers/..;/..;/admin", ""));
    b.raw("backslashes", Verdict.REFUSED, get("/api\\..\\admin", ""));
    b.raw("encoded backslash %5c", Verdict.EITHER, get("/api/%5c..%5cadmin", ""));
    b.raw("NUL byte %00", Verdict.REFUSED, get("/api/customers/42%00.json", ""));
    b.raw("overlong UTF-8 dot %c0%ae", Verdict.REFUSED, get("/api/%c0%ae%c0%ae/admin", ""));
    b.raw("overlong UTF-8 slash %c0%af", Verdict.REFUSED, get("/api/..%c0%afadmin", ""));
    b.raw("fragment in the request target", Verdict.EITHER, get("/api/customers/42#/../../admin", ""));
    b.raw("mixed-case method gEt", Verdict.REFUSED, req("gEt", "/api/customers/42", ""));
    b.raw("lower-case delete by a reader", Verdict.REFUSED, req("delete", "/api/customers/42", ""));
    b.raw("unknown method PURGE", Verdict.REFUSED, req("PURGE", "/api/customers/42", ""));
    b.raw("asterisk-form OPTIONS *", Verdict.EITHER, req("OPTIONS", "*", ""));
    b.raw("CONNECT authority-form", Verdict.REFUSED, req("CONNECT", "127.0.0.1:22", ""));
    // ---- method override headers ----
    b.raw("X-HTTP-Method-Override: DELETE on a GET", Verdict.EITHER, get("/api/customers/42", "X-HTTP-Method-Override: DELETE\r\n"));
    b.raw("X-HTTP-Method: PUT on a GET", Verdict.EITHER, get("/api/customers/42", "X-HTTP-Method: PUT\r\n"));
    b.raw("X-Method-Override: DELETE on a GET", Verdict.EITHER, get("/api/customers/42", "X-Method-Override: DELETE\r\n"));
    b.raw("override header in lower case", Verdict.EITHER, get("/api/customers/42", "x-http-method-override: delete\r\n"));
    b.raw("POST overridden as GET by a reader", Verdict.REFUSED, req("POST", "/api/customers",
        "X-HTTP-Method-Override: GET\r\nContent-Length: 0\r\n"));
    b.raw("_method=DELETE in the query of a POST by a reader", Verdict.REFUSED, req("POST", "/api/customers?_method=GET",
        "Content-Length: 0\r\n"));
    // ---- request smuggling ----
    String smuggled = "GET /api/admin/users HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    b.raw("Content-Length and Transfer-Encoding", Verdict.REFUSED, "GET /api/customers/42 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled);
    b.raw("two different Content-Lengths", Verdict.REFUSED, "POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nContent-Length: 0\r\nContent-Length: " + smuggled.length() + "\r\n\r\n" + smuggled, true);
    b.raw("Content-Length list 0, 52", Verdict.REFUSED, "POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nContent-Length: 0, " + smuggled.length() + "\r\n\r\n" + smuggled, true);
    b.raw("Transfer-Encoding: xchunked with Content-Length", Verdict.REFUSED, "POST /api/customers HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Length: 5\r\nTransfer-Encoding: xchunked\r\n\r\n"
        + "0\r\n\r\n" + smuggled, true);
    b.raw("space before the colon of Transfer-Encoding", Verdict.REFUSED, "POST /api/customers HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n"
        + "0\r\n\r\n" + smuggled, true);
    b.raw("Transfer-Encoding: chunked, identity", Verdict.EITHER, "POST /api/customers HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
        + "0\r\n\r\n" + smuggled, true);
    b.raw("obs-fold Transfer-Encoding", Verdict.REFUSED, "POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nX-Foo: a\r\nTransfer-Encoding:\r\n chunked\r\nContent-Length: 5\r\n\r\n"
        + "0\r\n\r\n" + smuggled, true);
    b.raw("obs-fold continuation line", Verdict.EITHER, get("/api/customers/42", "X-Foo: a\r\n b\r\n"));
    b.raw("chunk size 0x hex prefix", Verdict.EITHER, "POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n" + smuggled, true);
    b.raw("chunk size with a sign and extension", Verdict.EITHER, "POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\n\r\n-5;x\r\nhello\r\n0\r\n\r\n" + smuggled, true);
    b.raw("chunk size larger than 2^64", Verdict.EITHER, "POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000000005\r\nhello\r\n0\r\n\r\n"
        + smuggled, true);
    b.raw("chunk with a bare LF line end", Verdict.EITHER, "POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n" + smuggled, true);
    b.raw("Connection: Content-Length on a GET with a body", Verdict.EITHER, "GET /api/customers/42 HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Length: " + smuggled.length()
        + "\r\nConnection: Content-Length\r\n\r\n" + smuggled);
    b.raw("Connection: Content-Length on a writer's POST", Verdict.EITHER, "POST /api/customers HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Length: " + smuggled.length()
        + "\r\nConnection: content-length, close\r\n\r\n" + smuggled, true);
    b.raw("Connection: Content-Type, Content-Length", Verdict.EITHER, "POST /api/customers HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: text/plain\r\nContent-Length: "
        + smuggled.length() + "\r\nConnection: Content-Type, Content-Length\r\n\r\n" + smuggled, true);
    b.raw("a forbidden request pipelined after an allowed one", Verdict.EITHER, "GET /api/customers/42 HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\nGET /api/admin/users HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nConnection: close\r\n\r\n");
    b.raw("a request line inside a body is body", Verdict.ALLOWED, "POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nContent-Type: text/plain\r\nContent-Length: " + smuggled.length()
        + "\r\nConnection: close\r\n\r\n" + smuggled, true);
    // ---- request targets and Host ----
    b.raw("absolute-form outside the API", Verdict.REFUSED, get("http://127.0.0.1/admin/users", ""));
    b.raw("absolute-form with another authority", Verdict.EITHER, get("http://evil.invalid/api/customers/42", ""));
    b.raw("absolute-form with dot-dot", Verdict.REFUSED, get("http://127.0.0.1/api/../admin", ""));
    b.raw("two Host headers", Verdict.EITHER, "GET /api/customers/42 HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.invalid\r\n"
        + "Authorization: Bearer {token}\r\nConnection: close\r\n\r\n");
    b.raw("Host with a path in it", Verdict.EITHER, "GET /api/customers/42 HTTP/1.1\r\nHost: 127.0.0.1/admin\r\n"
        + "Authorization: Bearer {token}\r\nConnection: close\r\n\r\n");
    b.raw("HTTP/1.0 without Host", Verdict.EITHER, "GET /admin/users HTTP/1.0\r\nAuthorization: Bearer {token}\r\n\r\n");
    b.raw("HTTP/0.9 simple request", Verdict.REFUSED, "GET /admin/users\r\n\r\n");
    b.raw("HTTP/2 prior knowledge (h2c preface) on the plain listener", Verdict.REFUSED,
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    // ---- HTTP/2 (curl over TLS, ALPN h2) ----
    b.curl("h2 :path with dot-dot", Verdict.REFUSED, "--http2", "--request-target", "/api/../admin/users", "/");
    b.curl("h2 :path with %2e%2e", Verdict.REFUSED, "--http2", "--request-target", "/api/%2e%2e/admin/users", "/");
    b.curl("h2 :path with a double slash", Verdict.EITHER, "--http2", "--request-target", "/api//admin/users", "/");
    b.curl("h2 :method in lower case", Verdict.REFUSED, "--http2", "-X", "delete", "/api/customers/42");
    b.curl("h2 Host header beside :authority", Verdict.EITHER, "--http2", "-H", "Host: evil.invalid", "/api/customers/42");
    b.curl("h2 Transfer-Encoding header", Verdict.EITHER, "--http2", "-H", "Transfer-Encoding: chunked", "/api/customers/42");
    b.curl("h2 method override header", Verdict.EITHER, "--http2", "-H", "X-HTTP-Method-Override: DELETE", "/api/customers/42");
    // ---- hop-by-hop and credentials ----
    b.raw("Connection: X-Portcullis-Subject drops the gateway's header", Verdict.EITHER,
        get("/api/echo", "Connection: X-Portcullis-Subject\r\n"));
    b.raw("Connection: Authorization drops the gateway's token", Verdict.EITHER,
        get("/api/echo", "Connection: Authorization\r\n"));
    b.raw("Connection: X-Forwarded-For", Verdict.EITHER, get("/api/echo", "X-Forwarded-For: 10.9.9.9\r\nConnection: X-Forwarded-For\r\n"));
    b.raw("a second Authorization header", Verdict.EITHER, get("/api/echo", "Authorization: Basic YWRtaW46YWRtaW4=\r\n"));
    b.raw("Proxy-Authorization", Verdict.EITHER, get("/api/echo", "Proxy-Authorization: Basic YWRtaW46YWRtaW4=\r\n"));
    b.raw("spoofed X-Portcullis-Subject", Verdict.EITHER, get("/api/echo", "X-Portcullis-Subject: root\r\n"));
    b.raw("X-Debug the policy removes, in lower case", Verdict.EITHER, get("/api/echo", "x-debug: 1\r\n"));
    b.raw("X-Debug twice", Verdict.EITHER, get("/api/echo", "X-Debug: 1\r\nX-Debug: 2\r\n"));
    b.raw("Connection: close, X-Debug", Verdict.EITHER, "GET /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nX-Debug: 1\r\nConnection: close, X-Debug\r\n\r\n");
    // A token whose subject holds CRLF: the subject header the policy adds must not split.
    b.rawAs("a subject with CRLF and a header in it", Verdict.EITHER, "\r\nX-Debug: 1", get("/api/echo", ""));
    // ---- oversized ----
    b.raw("a 5000-byte header", Verdict.REFUSED, get("/api/customers/42", "X-Big: " + "a".repeat(5000) + "\r\n"));
    b.raw("500 small headers", Verdict.REFUSED, get("/api/customers/42", "X-H: 1234567\r\n".repeat(500)));
    b.raw("a 70000-byte body", Verdict.REFUSED, "POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nContent-Length: 70000\r\nConnection: close\r\n\r\n" + "x".repeat(70_000), true);
    b.raw("a 70000-byte chunked body", Verdict.EITHER, "POST /api/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + ("2710\r\n" + "x".repeat(10_000) + "\r\n").repeat(7) + "0\r\n\r\n", true);
    b.raw("a 9000-byte request target", Verdict.REFUSED, get("/api/customers/" + "a".repeat(9000), ""));
    // ---- upgrades ----
    b.raw("Upgrade: websocket on the admin API", Verdict.REFUSED, get("/api/admin/ws",
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
        .replace("Connection: close\r\n", ""));
    b.raw("Upgrade: h2c with HTTP2-Settings outside the API", Verdict.REFUSED, "GET /admin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer {token}\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
    // ---- masking bypasses (every answer must be masked or refused) ----
    b.raw("Accept: application/json;q=0 and text/html", Verdict.EITHER, get("/api/customers/42",
        "Accept: application/json;q=0, text/html\r\n"));
    b.raw("Accept-Encoding: gzip on a masked record", Verdict.EITHER, get("/api/customers/42", "Accept-Encoding: gzip\r\n"));
    b.raw("Accept-Encoding: gzip;q=1, identity;q=0", Verdict.EITHER, get("/api/customers/list",
        "Accept-Encoding: gzip;q=1, identity;q=0\r\n"));
    b.raw("Range: the first bytes of a masked record", Verdict.EITHER, get("/api/customers/42", "Range: bytes=0-60\r\n"));
    b.raw("Range: the card number's bytes", Verdict.EITHER, get("/api/customers/42", "Range: bytes=55-90\r\n"));
    b.raw("If-None-Match / conditional", Verdict.EITHER, get("/api/customers/42", "If-Range: x\r\nRange: bytes=0-\r\n"));
    b.raw("a large masked list", Verdict.EITHER, get("/api/customers/big", ""));
    b.raw("trailing slash on a masked record", Verdict.EITHER, get("/api/customers/42/", ""));
    b.raw("HEAD of a masked record", Verdict.EITHER, req("HEAD", "/api/customers/42", ""));
    // ---- query parameter pollution ----
    b.raw("repeated id parameters", Verdict.ALLOWED, get("/api/customers/42?id=1&id=2&id[]=3", ""));
    b.raw("_method=DELETE in the query of a GET", Verdict.ALLOWED, get("/api/customers/42?_method=DELETE", ""));
    b.raw("encoded ampersand and equals", Verdict.ALLOWED, get("/api/customers/42?a=1%26b%3D2&a", ""));
    b.raw("a query that holds a path", Verdict.EITHER, get("/api/customers/42?/../../admin", ""));
    b.raw("semicolon as a query separator", Verdict.ALLOWED, get("/api/customers/42?a=1;_method=DELETE", ""));
    // ---- controls: an allowed read and a writer's write get through ----
    b.raw("control: a reader reads", Verdict.ALLOWED, get("/api/customers/42", ""));
    b.raw("control: a writer posts", Verdict.ALLOWED, req("POST", "/api/customers", "Content-Length: 2\r\n") + "{}", true);
    return rows;
  }

  /** Numbers rows as they are added. */
  private static final class Builder {
    private final List<Row> rows;

    Builder(List<Row> rows) {
      this.rows = rows;
    }

    void raw(String what, Verdict verdict, String bytes) {
      raw(what, verdict, bytes, false);
    }

    void raw(String what, Verdict verdict, String bytes, boolean writer) {
      rows.add(new Row(rows.size() + 1, what, writer, verdict, new Raw(bytes), ""));
    }

    void rawAs(String what, Verdict verdict, String subjectSuffix, String bytes) {
      rows.add(new Row(rows.size() + 1, what, false, verdict, new Raw(bytes), subjectSuffix));
    }

    void curl(String what, Verdict verdict, String... args) {
      rows.add(new Row(rows.size() + 1, what, false, verdict, new Curl(List.of(args)), ""));
    }
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachAttackGetsItsVerdict(Row row) throws Exception {
    String token = row.writer() ? gw.token(row.subject(), "writers") : gw.token(row.subject(), "readers");
    int before = nginx.accessLog().size();
    byte[] response = switch (row.payload()) {
      case Raw raw -> exchange(raw.bytes().replace("{token}", token));
      case Curl curl -> curl(curl.args(), token);
    };
    List<JsonNode> reached = settle(before);
    String text = new String(response, StandardCharsets.ISO_8859_1);
    List<Integer> statuses = statuses(text);
    List<String> forbidden = new ArrayList<>();
    for (JsonNode line : reached) {
      String why = forbidden(row, line);
      if (why != null) {
        forbidden.add(why + ": " + line);
      }
    }
    boolean leaked = RAW_PII.matcher(decoded(response)).find();
    seen.put(row.no(), new Seen(statuses, text, reached, forbidden, leaked));
    assertThat(forbidden).as("forbidden requests that reached nginx; answer: %s", head(text)).isEmpty();
    assertThat(leaked).as("unmasked personal data in the answer: %s", head(text)).isFalse();
    boolean refused = statuses.isEmpty() || statuses.stream().anyMatch(s -> s >= 400 && s != 404);
    switch (row.verdict()) {
      case REFUSED -> assertThat(refused).as("refused; answer: %s; nginx saw %s", head(text), reached).isTrue();
      case ALLOWED -> assertThat(refused).as("allowed; answer: %s", head(text)).isFalse();
      case EITHER -> { }
    }
  }

  /** Why a request nginx logged is one the policy forbids for this row's caller, or null. */
  private static String forbidden(Row row, JsonNode line) {
    if ("400".equals(line.path("status").asText()) && line.path("method").asText().isEmpty()) {
      return null; // bytes nginx could not read as a request: nothing was served
    }
    String uri = line.path("uri").asText();
    String method = line.path("method").asText();
    if (!uri.startsWith("/api/")) {
      return "outside the API";
    }
    if (uri.matches("/api/+admin([/;.].*)?")) {
      return "the admin API";
    }
    if (!row.writer() && !READ_METHODS.contains(method)) {
      return "a reader's " + method;
    }
    for (String header : List.of("override", "x_http_method", "x_method_override")) {
      String value = line.path(header).asText().toUpperCase(Locale.ROOT);
      if (!row.writer() && !value.isEmpty() && !READ_METHODS.contains(value)) {
        return "a reader's method override " + value;
      }
    }
    if (!"Bearer gateway-own-token".equals(line.path("authorization").asText())) {
      return "a credential other than the gateway's";
    }
    if (!line.path("debug").asText().isEmpty()) {
      return "X-Debug, which the policy removes";
    }
    if (!row.subject().equals(line.path("subject").asText())) {
      return "X-Portcullis-Subject other than the caller";
    }
    return null;
  }

  /** The access log lines added since {@code before}, once nginx has stopped writing (bounded). */
  private static List<JsonNode> settle(int before) throws Exception {
    int size = -1;
    for (int i = 0; i < 20; i++) {
      Thread.sleep(50);
      int now = nginx.accessLog().size();
      if (now == size) {
        break;
      }
      size = now;
    }
    List<String> lines = nginx.accessLog();
    List<JsonNode> out = new ArrayList<>();
    for (String line : lines.subList(Math.min(before, lines.size()), lines.size())) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  /** Writes the bytes and reads until the gateway closes or is quiet for 1.5 s (at most 10 s). */
  private static byte[] exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", plainPort)) {
      socket.setSoTimeout(1500);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      } catch (IOException closed) {
        // The gateway may close before it read everything (an oversized request).
      }
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[16384];
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException quiet) {
          break;
        } catch (IOException reset) {
          break;
        }
        if (n < 0) {
          break;
        }
        got.write(buffer, 0, n);
      }
      return got.toByteArray();
    }
  }

  /** Runs curl (HTTP/2 over TLS) and returns the response head and body as it printed them. */
  private static byte[] curl(List<String> args, String token) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "15", "--path-as-is",
        "--cacert", certs.resolve("ca.crt").toString(), "-H", "Authorization: Bearer " + token));
    command.addAll(args.subList(0, args.size() - 1));
    command.add("https://127.0.0.1:" + tlsPort + args.getLast());
    Processes.Result r = Processes.run(command, Map.of(), null, Duration.ofSeconds(20));
    return (r.stdout() + r.stderr()).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static final Pattern STATUS = Pattern.compile("(?m)^HTTP/[0-9.]+ (\\d{3})");

  private static List<Integer> statuses(String text) {
    List<Integer> out = new ArrayList<>();
    Matcher m = STATUS.matcher(text);
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }

  /** The response as text, its body gunzipped where it is gzip (so compressed data is checked too). */
  private static String decoded(byte[] response) {
    String text = new String(response, StandardCharsets.ISO_8859_1);
    StringBuilder all = new StringBuilder(text);
    for (int i = 0; i + 1 < response.length; i++) {
      if ((response[i] & 0xff) == 0x1f && (response[i + 1] & 0xff) == 0x8b) {
        try (GZIPInputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(response, i, response.length - i))) {
          all.append(new String(gz.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException truncated) {
          all.append("[gzip: ").append(truncated.getMessage()).append(']');
        }
      }
    }
    return all.toString();
  }

  private static String head(String text) {
    String flat = text.replace("\r", "").replace("\n", " | ");
    return flat.length() > 400 ? flat.substring(0, 400) + "..." : flat;
  }

  @Order(2)
  @Test
  void nginxSawNoRequestThePolicyForbids() {
    List<Row> rows = rows();
    assertThat(seen).as("every row ran first").hasSize(rows.size());
    List<String> reached = new ArrayList<>();
    List<String> leaked = new ArrayList<>();
    int refused = 0;
    for (Row row : rows) {
      Seen s = seen.get(row.no());
      if (!s.forbidden().isEmpty()) {
        reached.add(row + ": " + s.forbidden());
      }
      if (s.leaked()) {
        leaked.add(row.toString());
      }
      if (s.statuses().isEmpty() || s.statuses().stream().anyMatch(x -> x >= 400 && x != 404)) {
        refused++;
      }
    }
    System.out.println("http attack catalogue: " + reached.size() + " requests that policy forbids reached nginx"
        + " (" + rows.size() + " rows, " + refused + " refused by the gateway), " + leaked.size()
        + " answers with unmasked personal data; witness: nginx's access log");
    assertThat(reached).as("forbidden requests that reached nginx").isEmpty();
    assertThat(leaked).as("answers that leaked personal data").isEmpty();
  }
}
