package io.portcullis.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.config.HostPort;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * A development OIDC issuer: an EC P-256 signing key kept in a file, its public key published as
 * a JWKS on a loopback port, and tokens minted on request. For demos and tests; never exposed.
 */
public final class DevIssuer implements AutoCloseable {

  private final ECKey key;
  private final HttpServer server;
  private final String issuer;
  private final String audience;

  private DevIssuer(ECKey key, HttpServer server, String issuer, String audience) {
    this.key = key;
    this.server = server;
    this.issuer = issuer;
    this.audience = audience;
  }

  /**
   * Loads (or creates) the key and starts serving the JWKS.
   *
   * @param issuerUrl the issuer to put in tokens; null for {@code http://<bound address>}
   */
  public static DevIssuer start(DevIssuerSettings settings, String issuerUrl, String audience)
      throws IOException {
    HostPort listen = HostPort.parse("identity.dev_issuer.listen", settings.listen());
    if (!listen.isLoopback()) {
      throw new IOException("the development issuer listens only on loopback, not " + listen);
    }
    ECKey key = loadOrCreate(Path.of(settings.keyFile()));
    HttpServer server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 16);
    String issuer = issuerUrl != null ? issuerUrl
        : "http://" + new HostPort(listen.host(), server.getAddress().getPort());
    String jwks = new JWKSet(key.toPublicJWK()).toString();
    String discovery = "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/.well-known/jwks.json\"}";
    server.createContext("/.well-known/jwks.json", ex -> reply(ex, jwks));
    server.createContext("/.well-known/openid-configuration", ex -> reply(ex, discovery));
    server.start();
    return new DevIssuer(key, server, issuer, audience);
  }

  private static void reply(HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  static ECKey loadOrCreate(Path file) throws IOException {
    try {
      return ECKey.parse(Files.readString(file));
    } catch (NoSuchFileException e) {
      // First start: create the key below.
    } catch (ParseException e) {
      throw new IOException("dev issuer key " + file + " is not a valid EC JWK: " + e.getMessage(), e);
    }
    try {
      ECKey key = new ECKeyGenerator(Curve.P_256).keyID("dev-" + UUID.randomUUID())
          .algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).generate();
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, key.toJSONString());
      return key;
    } catch (FileAlreadyExistsException e) {
      return loadOrCreate(file); // Another process created it first.
    } catch (JOSEException e) {
      throw new IOException("cannot generate a dev issuer key: " + e.getMessage(), e);
    }
  }

  /** The issuer URL in minted tokens. */
  public String issuer() {
    return issuer;
  }

  /** Where the public keys are served. */
  public String jwksUrl() {
    return issuer + "/.well-known/jwks.json";
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** A token for {@code subject} with {@code groups}, valid for {@code ttl}. */
  public String mint(String subject, List<String> groups, Duration ttl) {
    return sign(key, issuer, audience, subject, groups, ttl);
  }

  /** A token signed with the key kept at {@code keyFile}, without a running issuer (the CLI). */
  public static String mintOffline(Path keyFile, String issuer, String audience, String subject,
      List<String> groups, Duration ttl) throws IOException {
    if (!Files.exists(keyFile)) {
      throw new IOException("no dev issuer key at " + keyFile
          + "; start the gateway with identity.dev_issuer.enabled first");
    }
    return sign(loadOrCreate(keyFile), issuer, audience, subject, groups, ttl);
  }

  static String sign(ECKey key, String issuer, String audience, String subject, List<String> groups,
      Duration ttl) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer).audience(audience).subject(subject)
        .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .jwtID(UUID.randomUUID().toString())
        .claim("groups", groups)
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a dev token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
