package io.portcullis.admin;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.document.Identity;
import io.portcullis.identity.InvalidTokenException;
import io.portcullis.identity.JwtVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's admin HTTP API: JSON routes behind OIDC bearer tokens, verified by the same
 * {@link JwtVerifier} as clients, on the JDK's HTTP server with one virtual thread per request.
 *
 * <p>Every route but the open ones ({@code GET /healthz}, and those made with {@link AdminRoute#open}:
 * readiness, metrics) needs {@code Authorization: Bearer <JWT>}; a missing or
 * invalid token is answered 401 before routing, so callers without a token learn nothing about the
 * routes. One log line per request: method, path, subject, status. Tokens are never logged or
 * echoed. Other features (sessions, audit, metrics) add their routes through {@link AdminRoute}.
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  /** Largest request body read. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private record Bound(AdminRoute route, List<String> segments) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final JwtVerifier verifier;
  private final List<Bound> routes;

  private AdminServer(HttpServer server, ExecutorService executor, JwtVerifier verifier,
      List<Bound> routes) {
    this.server = server;
    this.executor = executor;
    this.verifier = verifier;
    this.routes = routes;
  }

  /**
   * Starts the admin API on {@code address} (port 0 for any free port) with the given routes and
   * {@code GET /healthz}.
   *
   * @throws IOException when the address cannot be bound
   */
  public static AdminServer start(InetSocketAddress address, JwtVerifier verifier,
      List<AdminRoute> routes) throws IOException {
    requireNonNull(address, "address");
    requireNonNull(verifier, "verifier");
    List<Bound> bound = new ArrayList<>();
    bound.add(new Bound(AdminRoute.open("/healthz", r -> AdminResponse.text(200, "ok")),
        PathTemplate.segments("/healthz")));
    for (AdminRoute route : requireNonNull(routes, "routes")) {
      bound.add(new Bound(route, route.segments()));
    }
    HttpServer server = HttpServer.create(address, 64);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    AdminServer admin = new AdminServer(server, executor, verifier, List.copyOf(bound));
    server.createContext("/", admin::exchange);
    server.start();
    if (!server.getAddress().getAddress().isLoopbackAddress()) {
      log.warn("admin API on {} is plain HTTP on a non-loopback address: put TLS in front of it,"
          + " approvers send their tokens to it", server.getAddress());
    }
    return admin;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL, {@code http://host:port}, with a wildcard host replaced by loopback. */
  public String url() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private void exchange(HttpExchange exchange) {
    long start = System.nanoTime();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    String subject = "-";
    AdminResponse response;
    try (exchange) {
      try {
        List<String> segments = PathTemplate.segments(path == null ? "" : path);
        Identity caller = null;
        if (!isOpen(segments)) {
          caller = authenticate(exchange);
          subject = caller.subject();
        }
        response = route(exchange, method, path, segments, caller);
      } catch (AdminException e) {
        response = AdminResponse.error(e.status(), e.getMessage());
      } catch (Exception e) {
        log.error("admin {} {} failed: {}", method, path, e.toString());
        response = AdminResponse.error(500, "internal error");
      }
      send(exchange, response);
      log.info("admin {} {} subject={} status={} ({} ms)", method, path, subject,
          response.status(), (System.nanoTime() - start) / 1_000_000);
    } catch (IOException e) {
      log.info("admin {} {} subject={} status=- (client went away: {})", method, path, subject,
          e.getMessage());
    }
  }

  private boolean isOpen(List<String> segments) {
    return routes.stream()
        .anyMatch(b -> !b.route().authenticated() && PathTemplate.match(b.segments(), segments) != null);
  }

  private Identity authenticate(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    if (header == null || header.isBlank()) {
      throw new AdminException(401, "missing bearer token (expected: Authorization: Bearer <JWT>)");
    }
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Bearer")) {
      throw new AdminException(401, "not a bearer token (expected: Authorization: Bearer <JWT>)");
    }
    try {
      Identity caller = verifier.verify(header.substring(space + 1).strip()).toIdentity();
      exchange.getResponseHeaders().remove("WWW-Authenticate");
      return caller;
    } catch (InvalidTokenException e) {
      throw new AdminException(401, "invalid token: " + e.getMessage()); // message is token-free
    }
  }

  private AdminResponse route(HttpExchange exchange, String method, String path,
      List<String> segments, Identity caller) throws Exception {
    TreeSet<String> allowed = new TreeSet<>();
    for (Bound b : routes) {
      Map<String, String> params = PathTemplate.match(b.segments(), segments);
      if (params == null) {
        continue;
      }
      if (!b.route().method().equals(method)) {
        allowed.add(b.route().method());
        continue;
      }
      byte[] body = readBody(exchange.getRequestBody());
      return b.route().handler().handle(new AdminRequest(method, path, params,
          query(exchange.getRequestURI().getRawQuery()), body, caller));
    }
    if (!allowed.isEmpty()) {
      exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
      throw new AdminException(405, "method " + method + " not allowed on " + path
          + " (expected: " + String.join(" or ", allowed) + ")");
    }
    throw new AdminException(404, "no such endpoint: " + path);
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw new AdminException(413, "body: more than " + MAX_BODY_BYTES + " bytes (expected: <= "
          + MAX_BODY_BYTES + ")");
    }
    return body;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(key, value);
    }
    return out;
  }

  private static void send(HttpExchange exchange, AdminResponse response) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
