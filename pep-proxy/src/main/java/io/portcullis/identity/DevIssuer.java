package io.portcullis.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development token issuer: a persisted EC P-256 key whose public half is served as a JWKS on a
 * loopback-only plain-HTTP server, and that mints ES256 tokens. For demos and tests, never for
 * production: anyone who can read the key file or call {@link #mint} can be anyone.
 *
 * <p>Serves {@code GET /.well-known/jwks.json} (public key only) and {@code GET
 * /.well-known/openid-configuration} ({@code issuer}, {@code jwks_uri}).
 */
public final class DevIssuer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DevIssuer.class);
  private static final String CONFIG_PATH = "/.well-known/openid-configuration";

  private final ECKey key;
  private final String issuer;
  private final String jwksUrl;
  private final String audience;
  private final Duration defaultTtl;
  private final HttpServer server;
  private final ExecutorService executor;

  private DevIssuer(
      ECKey key,
      String issuer,
      String jwksUrl,
      String audience,
      Duration defaultTtl,
      HttpServer server,
      ExecutorService executor) {
    this.key = key;
    this.issuer = issuer;
    this.jwksUrl = jwksUrl;
    this.audience = audience;
    this.defaultTtl = defaultTtl;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Loads or creates the key at {@code settings.keyFile()} and serves its JWKS on {@code
   * settings.listen()}, which must be a loopback address (port 0 picks a free port).
   *
   * @param issuerUrl the {@code iss} of minted tokens; if null, {@code http://<listen>}
   * @param audience the {@code aud} of minted tokens
   * @throws IllegalArgumentException when the listen address is not loopback or settings are bad
   * @throws UncheckedIOException when the key cannot be written or the port cannot be bound
   */
  public static DevIssuer start(DevIssuerSettings settings, String issuerUrl, String audience) {
    requireNonNull(settings, "settings").validate();
    requireNonNull(audience, "audience");
    ListenAddress listen = ListenAddress.parse(settings.listen());
    ECKey key = DevIssuerKey.loadOrCreate(Path.of(settings.keyFile()));
    HttpServer server;
    try {
      server = HttpServer.create(listen.socketAddress(), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("dev issuer cannot listen on " + settings.listen(), e);
    }
    String base = listen.httpUrl(server.getAddress().getPort());
    String issuer = issuerUrl == null ? base : issuerUrl;
    String jwksUrl = base + IdentitySettings.JWKS_PATH;
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    byte[] config = openIdConfiguration(issuer, jwksUrl);
    server.createContext(IdentitySettings.JWKS_PATH, exchange -> serve(exchange, jwks));
    server.createContext(CONFIG_PATH, exchange -> serve(exchange, config));
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            task -> Thread.ofPlatform().name("portcullis-dev-issuer").daemon().unstarted(task));
    server.setExecutor(executor);
    server.start();
    log.warn("dev issuer {} serving keys at {}; for development only", issuer, jwksUrl);
    return new DevIssuer(
        key,
        issuer,
        jwksUrl,
        audience,
        Duration.ofSeconds(settings.defaultTtlS()),
        server,
        executor);
  }

  /**
   * Mints a token from the persisted key without starting a server, for {@code portcullis
   * dev-token}.
   *
   * @param ttl lifetime, 1 s to one day
   * @throws IllegalStateException when there is no key at {@code keyFile}
   */
  public static String mintOffline(
      Path keyFile,
      String issuer,
      String audience,
      String subject,
      List<String> groups,
      Duration ttl) {
    requireNonNull(keyFile, "keyFile");
    requireNonNull(issuer, "issuer");
    requireNonNull(audience, "audience");
    requireNonNull(subject, "subject");
    return DevIssuerKey.mint(
        DevIssuerKey.load(keyFile),
        issuer,
        audience,
        subject,
        groups,
        checkTtl(ttl),
        Instant.now());
  }

  /** The {@code iss} of minted tokens. */
  public String issuer() {
    return issuer;
  }

  /** Where the public key is served, on the bound loopback address. */
  public String jwksUrl() {
    return jwksUrl;
  }

  /** The signing key's id. */
  public String keyId() {
    return key.getKeyID();
  }

  /**
   * Mints an ES256 token for {@code subject} with {@code groups}.
   *
   * @param ttl lifetime, 1 s to one day; null for the configured default
   */
  public String mint(String subject, List<String> groups, Duration ttl) {
    requireNonNull(subject, "subject");
    Duration lifetime = ttl == null ? defaultTtl : checkTtl(ttl);
    return DevIssuerKey.mint(key, issuer, audience, subject, groups, lifetime, Instant.now());
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static Duration checkTtl(Duration ttl) {
    requireNonNull(ttl, "ttl");
    if (ttl.toSeconds() < 1 || ttl.toSeconds() > DevIssuerSettings.MAX_TTL_S) {
      throw new IllegalArgumentException(
          "ttl: " + ttl.toSeconds() + "s (expected: 1.." + DevIssuerSettings.MAX_TTL_S + "s)");
    }
    return ttl;
  }

  private static byte[] openIdConfiguration(String issuer, String jwksUrl) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", issuer);
    doc.put("jwks_uri", jwksUrl);
    doc.put("id_token_signing_alg_values_supported", List.of("ES256"));
    doc.put("subject_types_supported", List.of("public"));
    try {
      return Json.mapper().writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void serve(HttpExchange exchange, byte[] body) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      // Contexts match by prefix; only the exact paths exist.
      if (!path.equals(exchange.getHttpContext().getPath())) {
        exchange.sendResponseHeaders(404, -1);
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
      } else {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (method.equals("HEAD")) {
          exchange.sendResponseHeaders(200, -1);
        } else {
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
        }
      }
    }
  }
}
