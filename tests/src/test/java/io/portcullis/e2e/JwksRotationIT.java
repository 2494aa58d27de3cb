package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.it.fixture.GatewayProcess;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.PostgresServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The identity provider's keys seen end to end: a real JWKS endpoint whose keys the test rotates,
 * a gateway process that fetches them, and psql presenting tokens. A rotated key is accepted once
 * published, unknown key ids never fetch more than once per interval, and tokens built to hurt the
 * parser are refused without harming the next session.
 */
class JwksRotationIT {

  private static final String ISSUER = "https://idp.portcullis.test";
  private static final int REFRESH_S = 2;
  private static final ECKey K1 = key("k1");
  private static final ECKey K2 = key("k2");
  private static final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(K1.toPublicJWK()));
  private static final AtomicInteger fetches = new AtomicInteger();
  private static HttpServer jwks;
  private static OpaServer opa;
  private static GatewayProcess gw;

  @BeforeAll
  static void start() throws Exception {
    jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwks.createContext("/jwks.json", exchange -> {
      fetches.incrementAndGet();
      byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    jwks.start();
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    PostgresServer pg = PostgresServer.shared();
    gw = GatewayProcess.start("""
        listen:
          postgres: 127.0.0.1:%%PG_PORT%%
          allow_cleartext_on_loopback: true
        identity:
          issuer: %1$s
          jwks_url: http://127.0.0.1:%2$d/jwks.json
          audiences: [portcullis]
          jwks_refresh_min_interval_s: %3$d
        opa:
          url: %4$s
          timeout_ms: 1000
        targets:
          - {name: demo, protocol: postgres, host: %5$s, port: %6$d, database: demo, user: %7$s, password_env: DEMO_PW}
        data_dir: %%DIR%%/data
        audit:
          enabled: false
        admin:
          listen: 127.0.0.1:%%ADMIN_PORT%%
        """.formatted(ISSUER, jwks.getAddress().getPort(), REFRESH_S, opa.url(), pg.host(), pg.port(),
        PostgresServer.GATEWAY_USER), Map.of("DEMO_PW", PostgresServer.GATEWAY_PASSWORD));
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (opa != null) {
      opa.close();
    }
    if (jwks != null) {
      jwks.stop(0);
    }
  }

  @Test
  void aRotatedKeyIsAcceptedOncePublishedAndUnknownKeysFetchAtMostOncePerInterval() throws Exception {
    assertThat(select1(sign(K1, claims("rot-1")))).as("the current key").isTrue();
    int afterFirst = fetches.get();

    // Not published yet: refused, with one refetch for the unknown key id at most.
    Processes.Result early = psql(sign(K2, claims("rot-1")));
    assertThat(early.stderr()).contains("token key id k2 is unknown");
    Thread.sleep(REFRESH_S * 1000L + 200);

    // The provider rotates: k2 is published beside k1, and tokens signed with it work.
    published.set(new JWKSet(List.of(K2.toPublicJWK(), K1.toPublicJWK())));
    assertThat(select1(sign(K2, claims("rot-1")))).as("the rotated key").isTrue();
    assertThat(select1(sign(K1, claims("rot-1")))).as("the old key, still published").isTrue();
    int afterRotation = fetches.get();
    assertThat(afterRotation - afterFirst).as("fetches for the early k2 and the rotation").isBetween(1, 2);

    // A burst of tokens with key ids nobody published, within one interval: one fetch at most.
    for (int i = 0; i < 8; i++) {
      assertThat(psql(sign(key("unknown-" + i), claims("rot-1"))).stderr()).contains("is unknown");
    }
    assertThat(fetches.get() - afterRotation).isLessThanOrEqualTo(1);
  }

  @Test
  void tokensBuiltToHurtTheParserAreRefusedAndTheNextSessionWorks() throws Exception {
    // Claims nested 2,000 deep, within the size limit.
    String nested = "[".repeat(2_000) + "]".repeat(2_000);
    String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"portcullis\",\"sub\":\"deep\",\"exp\":"
        + Instant.now().plusSeconds(300).getEpochSecond() + ",\"x\":" + nested + "}";
    String header = Base64URL.encode("{\"alg\":\"ES256\",\"kid\":\"k1\",\"typ\":\"JWT\"}").toString();
    String deep = header + "." + Base64URL.encode(payload) + "." + Base64URL.encode(new byte[64]);
    assertThat(psql(deep).stderr()).contains("FATAL:  token rejected: token claims are not a valid JSON object");
    // A header that is not JSON at all, and one far over the size limit.
    assertThat(psql("eyJhbGciOi." + Base64URL.encode(payload) + ".x").stderr())
        .contains("FATAL:  token rejected");
    assertThat(psql("a".repeat(20_000)).stderr()).contains("FATAL:  token rejected");
    assertThat(select1(sign(K1, claims("after-the-bad-ones")))).isTrue();
    assertThat(gw.log()).doesNotContain("StackOverflowError").doesNotContain(nested.substring(0, 50));
  }

  private static boolean select1(String token) {
    Processes.Result r = psql(token);
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.stdout().strip().equals("1");
  }

  private static Processes.Result psql(String token) {
    PostgresServer pg = PostgresServer.shared();
    return Processes.run(List.of(pg.binDir().resolve("psql").toString(),
        "host=127.0.0.1 port=" + gw.port() + " user=agent dbname=demo sslmode=disable", "-X", "--no-psqlrc",
        "-tA", "-c", "SELECT 1"), Map.of("PGPASSWORD", token, "PGCONNECT_TIMEOUT", "10"), null,
        Duration.ofSeconds(30));
  }

  private static JWTClaimsSet claims(String subject) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience("portcullis").subject(subject)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
        .claim("groups", List.of("readers")).build();
  }

  private static String sign(ECKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
          .type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ECKey key(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
