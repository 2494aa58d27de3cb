package io.portcullis.identity;

import static io.portcullis.identity.TestTokens.AUDIENCE;
import static io.portcullis.identity.TestTokens.ISSUER;
import static io.portcullis.identity.TestTokens.b64;
import static io.portcullis.identity.TestTokens.claims;
import static io.portcullis.identity.TestTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.portcullis.document.Identity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class JwtVerifierTest {

  private static final ECKey EC = TestTokens.ecKey("ec-1");
  private static final RSAKey RSA = TestTokens.rsaKey("rsa-1");
  private static TestJwks jwks;
  private static JwtVerifier verifier;

  @BeforeAll
  static void start() throws Exception {
    jwks = TestJwks.start(EC, RSA);
    verifier = new JwtVerifier(TestTokens.settings(jwks.url()));
  }

  @AfterAll
  static void stop() {
    jwks.close();
  }

  /** Refuses the token and checks that no part of it leaks into the message. */
  static String refusal(JwtVerifier verifier, String token) {
    InvalidTokenException e =
        catchThrowableOfType(InvalidTokenException.class, () -> verifier.verify(token));
    assertThat(e).as("token must be refused").isNotNull();
    if (!token.isEmpty()) {
      assertThat(e.getMessage()).doesNotContain(token);
    }
    for (String part : token.split("\\.")) {
      if (part.length() >= 8) {
        assertThat(e.getMessage()).doesNotContain(part);
      }
    }
    return e.getMessage();
  }

  private static String refusal(String token) {
    return refusal(verifier, token);
  }

  @Test
  void validEcTokenGivesIdentityWithSubjectGroupsAndOnlyConfiguredClaims() throws Exception {
    Instant exp = Instant.now().plusSeconds(300).truncatedTo(ChronoUnit.SECONDS);
    VerifiedToken token =
        verifier.verify(sign(EC, claims().expirationTime(Date.from(exp)).build()));

    assertThat(token.subject()).isEqualTo("ci-runner-7");
    assertThat(token.issuer()).isEqualTo(ISSUER);
    assertThat(token.groups()).containsExactly("ci", "readers");
    assertThat(token.claims())
        .isEqualTo(Map.of("email", "ci@example.com", "name", "CI runner 7"));
    assertThat(token.expiresAt()).isEqualTo(exp);
    Identity identity = token.toIdentity();
    assertThat(identity.method()).isEqualTo("oidc_jwt");
    assertThat(identity.subject()).isEqualTo("ci-runner-7");
    assertThat(identity.groups()).containsExactly("ci", "readers");
  }

  @Test
  void validRsaTokenIsAccepted() throws Exception {
    assertThat(verifier.verify(sign(RSA, claims().build())).subject()).isEqualTo("ci-runner-7");
  }

  @Test
  void atJwtTypeAndAbsentTypeAreAccepted() throws Exception {
    for (JOSEObjectType type : new JOSEObjectType[] {new JOSEObjectType("at+jwt"), null}) {
      JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").type(type).build();
      assertThat(verifier.verify(sign(EC, header, claims().build().toString())).subject())
          .isEqualTo("ci-runner-7");
    }
  }

  @Test
  void otherTypeIsRefused() {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID("ec-1")
            .type(new JOSEObjectType("dpop+jwt"))
            .build();
    assertThat(refusal(sign(EC, header, claims().build().toString())))
        .isEqualTo("token type dpop+jwt is not allowed (expected: JWT, at+jwt or none)");
  }

  @Test
  void expiredBeyondSkewIsRefused() {
    Instant exp = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    assertThat(refusal(sign(EC, claims().expirationTime(Date.from(exp)).build())))
        .isEqualTo("token expired at " + exp);
  }

  @Test
  void expiredWithinSkewIsAccepted() throws Exception {
    Instant exp = Instant.now().minusSeconds(10);
    assertThat(verifier.verify(sign(EC, claims().expirationTime(Date.from(exp)).build())))
        .isNotNull();
  }

  @Test
  void futureNotBeforeIsRefused() {
    Instant nbf = Instant.now().plusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
    assertThat(refusal(sign(EC, claims().notBeforeTime(Date.from(nbf)).build())))
        .isEqualTo("token not valid before " + nbf);
  }

  @Test
  void issuedInTheFutureIsRefused() {
    Instant iat = Instant.now().plusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
    assertThat(refusal(sign(EC, claims().issueTime(Date.from(iat)).build())))
        .isEqualTo("token issued in the future, at " + iat);
  }

  @Test
  void wrongIssuerIsRefused() {
    assertThat(refusal(sign(EC, claims().issuer("https://evil.test").build())))
        .isEqualTo("token issuer https://evil.test is not " + ISSUER);
  }

  @Test
  void wrongAudienceIsRefused() {
    assertThat(refusal(sign(EC, claims().audience(List.of("x", "y")).build())))
        .isEqualTo("token audience [x, y] does not include " + AUDIENCE);
  }

  @Test
  void missingSubjectIsRefused() {
    assertThat(refusal(sign(EC, claims().subject(null).build())))
        .isEqualTo("token has no sub claim");
  }

  @Test
  void missingExpiryIsRefused() {
    assertThat(refusal(sign(EC, claims().expirationTime(null).build())))
        .isEqualTo("token has no exp claim");
  }

  @Test
  void unsignedAlgNoneTokenIsRefused() {
    String payload = b64(claims().build().toString());
    assertThat(refusal(b64("{\"alg\":\"none\"}") + "." + payload + "."))
        .isEqualTo("token is unsigned (alg none), which is never allowed");
    // The same with a signature part stuck on is not even a well-formed unsecured JWT.
    assertThat(refusal(b64("{\"alg\":\"none\"}") + "." + payload + ".c2lnbmF0dXJl"))
        .isEqualTo("token is not a signed JWT");
  }

  @Test
  void hs256SignedWithThePublicKeyAsSecretIsRefused() throws JOSEException {
    // The classic confusion attack: the public key is public, so as an HMAC secret it forges.
    for (byte[] secret :
        List.of(
            EC.toPublicKey().getEncoded(),
            RSA.toPublicKey().getEncoded(),
            EC.toPublicJWK().toJSONString().getBytes())) {
      JWSObject jws =
          new JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("ec-1").build(),
              new Payload(claims().build().toString()));
      jws.sign(new MACSigner(secret));
      assertThat(refusal(jws.serialize()))
          .startsWith("token algorithm HS256 is not allowed (expected: one of [RS256, ES256])");
    }
  }

  @Test
  void signedByAnotherKeyWithTheSameKidIsRefused() {
    ECKey impostor = TestTokens.ecKey("ec-1");
    assertThat(refusal(sign(impostor, claims().build()))).isEqualTo("token signature is invalid");
  }

  @Test
  void tamperedPayloadIsRefused() {
    String[] parts = sign(EC, claims().build()).split("\\.");
    String forged = b64(claims().subject("admin").build().toString());
    assertThat(refusal(parts[0] + "." + forged + "." + parts[2]))
        .isEqualTo("token signature is invalid");
  }

  @Test
  void oversizedTokenIsRefusedBeforeParsing() {
    int before = jwks.requests();
    String huge = sign(EC, claims().claim("padding", "x".repeat(10_000)).build());
    String message = refusal(huge);
    assertThat(message).isEqualTo("token is " + huge.length() + " bytes (expected: <= 8192)");
    assertThat(refusal("a".repeat(70_000))).isEqualTo("token is 70000 bytes (expected: <= 8192)");
    assertThat(jwks.requests()).isEqualTo(before);
  }

  @Test
  void garbageIsRefused() {
    assertThat(refusal("not a token at all")).isEqualTo("token is not a signed JWT");
    assertThat(refusal("aaaa.bbbb.cccc")).isEqualTo("token is not a signed JWT");
    assertThat(refusal("")).isEqualTo("token is empty");
    assertThat(refusal(b64("{\"alg\":\"ES256\"") + ".e30.c2ln"))
        .isEqualTo("token is not a signed JWT");
  }

  @Test
  void deeplyNestedJsonWithinTheSizeLimitIsRefusedCleanly() {
    String nested = "[".repeat(3000) + "]".repeat(3000);
    String payload = "{\"sub\":\"x\",\"deep\":" + nested + "}";
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build();
    String token = sign(EC, header, payload);
    assertThat(token.length()).isLessThan(8192);
    assertThat(refusal(token)).isEqualTo("token claims are not a valid JSON object");
    String deepHeader = b64("{\"alg\":\"ES256\",\"x\":" + nested + "}") + ".e30.c2ln";
    assertThat(refusal(deepHeader)).isEqualTo("token is not a signed JWT");
  }

  @Test
  void groupsAsSpaceSeparatedString() throws Exception {
    VerifiedToken token = verifier.verify(sign(EC, claims().claim("groups", " ci  dba ").build()));
    assertThat(token.groups()).containsExactly("ci", "dba");
  }

  @Test
  void groupsOfAnotherShapeGiveNoGroups() throws Exception {
    assertThat(verifier.verify(sign(EC, claims().claim("groups", 42).build())).groups()).isEmpty();
    assertThat(
            verifier.verify(sign(EC, claims().claim("groups", List.of("ci", 7)).build())).groups())
        .isEmpty();
    assertThat(verifier.verify(sign(EC, claims().claim("groups", null).build())).groups())
        .isEmpty();
  }

  @Test
  void groupsFromAConfiguredClaim() throws Exception {
    IdentitySettings settings =
        new IdentitySettings(ISSUER, List.of("other", AUDIENCE), jwks.url(), null, "roles", null,
            List.of("email", "tenant"), null, null, null, null);
    JwtVerifier custom = new JwtVerifier(settings);
    VerifiedToken token =
        custom.verify(
            sign(EC, claims().claim("roles", List.of("dba")).claim("tenant", Map.of("id", 7))
                .build()));
    assertThat(token.groups()).containsExactly("dba");
    assertThat(token.claims()).containsOnlyKeys("email", "tenant");
    assertThat(refusal(custom, sign(EC, claims().audience("x").build())))
        .isEqualTo("token audience [x] does not include any of [other, portcullis]");
  }

  @Test
  void unavailableJwksIsRefusedWithinBoundedTime() throws Exception {
    TestJwks gone = TestJwks.start(EC);
    String url = gone.url();
    gone.close();
    JwtVerifier orphan = new JwtVerifier(TestTokens.settings(url));
    long start = System.nanoTime();
    assertThat(refusal(orphan, sign(EC, claims().build())))
        .isEqualTo("token could not be verified: the issuer's keys are unavailable");
    assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
  }
}
