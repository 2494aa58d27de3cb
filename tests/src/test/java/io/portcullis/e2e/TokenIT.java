package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import io.portcullis.it.fixture.GatewayExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tokens the gateway must refuse, each with FATAL 28P01 and a reason, never echoing the token. */
class TokenIT {

  @RegisterExtension
  static final GatewayExtension servers = new GatewayExtension();

  private static void refused(String token, String reason) {
    assertThatThrownBy(() -> servers.gateway().jdbc(token).close())
        .isInstanceOfSatisfying(SQLException.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.getSQLState()).isEqualTo("28P01");
          org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains(reason);
          if (!token.isEmpty()) {
            org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain(token);
          }
        });
  }

  @Test
  void expiredTokenIsRefused() throws Exception {
    Instant past = Instant.now().minusSeconds(600);
    refused(servers.gateway().tokenWith(servers.gateway().validClaims("ci").issueTime(Date.from(past))
        .expirationTime(Date.from(past.plusSeconds(60))).build()), "token expired at");
  }

  @Test
  void wrongAudienceIsRefused() throws Exception {
    refused(servers.gateway().tokenWith(servers.gateway().validClaims("ci").audience("someone-else").build()),
        "token audience [someone-else] does not include portcullis");
  }

  @Test
  void wrongIssuerIsRefused() throws Exception {
    refused(servers.gateway().tokenWith(servers.gateway().validClaims("ci").issuer("https://evil.example").build()),
        "token issuer https://evil.example is not");
  }

  @Test
  void tokenWithoutSubjectIsRefused() throws Exception {
    refused(servers.gateway().tokenWith(servers.gateway().validClaims("ci").subject(null).build()), "token has no sub claim");
  }

  @Test
  void tokenNotYetValidIsRefused() throws Exception {
    refused(servers.gateway().tokenWith(servers.gateway().validClaims("ci").notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build()),
        "token not valid before");
  }

  @Test
  void unsignedAlgNoneTokenIsRefused() throws Exception {
    String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
    String payload = servers.gateway().validClaims("ci").build().toPayload().toBase64URL().toString();
    refused(header + "." + payload + ".", "token is unsigned (alg none), which is never allowed");
  }

  @Test
  void hs256SignedWithThePublicKeyIsRefused() throws Exception {
    String jwks = new String(URI.create(servers.gateway().validClaims("x").build().getIssuer()
        + "/.well-known/jwks.json").toURL().openStream().readAllBytes(), StandardCharsets.UTF_8);
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
        servers.gateway().validClaims("ci").build());
    forged.sign(new MACSigner(jwks.getBytes(StandardCharsets.UTF_8)));
    refused(forged.serialize(), "token algorithm HS256 is not allowed");
  }

  @Test
  void tokenSignedByAnotherKeyIsRefused() throws Exception {
    var other = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("stranger").generate();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("stranger").type(JOSEObjectType.JWT).build(),
        servers.gateway().validClaims("ci").build());
    jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(other));
    refused(jwt.serialize(), "token key id stranger is unknown");
  }

  @Test
  void oversizedTokenIsRefusedBeforeParsing() {
    refused("x".repeat(9000), "token is 9000 bytes (expected: <= 8192)");
  }

  @Test
  void emptyPasswordIsRefused() {
    refused("", "token is empty");
  }
}
