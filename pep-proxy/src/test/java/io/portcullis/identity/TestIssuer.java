package io.portcullis.identity;

import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A loopback OIDC issuer for tests outside this package: a JWKS server with one EC key, real
 * signed tokens for any subject and groups, and a verifier that trusts it.
 */
public final class TestIssuer implements AutoCloseable {

  private final ECKey key = TestTokens.ecKey("test-1");
  private final ECKey stranger = TestTokens.ecKey("test-1"); // same key id, unpublished key
  private final TestJwks jwks;

  private TestIssuer() throws IOException {
    this.jwks = TestJwks.start(key);
  }

  /** Starts the JWKS server. */
  public static TestIssuer start() throws IOException {
    return new TestIssuer();
  }

  /** The issuer's {@code iss}. */
  public String issuer() {
    return TestTokens.ISSUER;
  }

  /** Identity settings that trust this issuer, audience {@code portcullis}. */
  public IdentitySettings settings() {
    return TestTokens.settings(jwks.url());
  }

  /** The JWKS URL. */
  public String jwksUrl() {
    return jwks.url();
  }

  /** A verifier that trusts this issuer. */
  public JwtVerifier verifier() {
    return new JwtVerifier(settings());
  }

  /** A valid five-minute token for {@code subject} in {@code groups}. */
  public String token(String subject, String... groups) {
    return TestTokens.sign(key, TestTokens.claims().subject(subject)
        .claim("groups", List.of(groups)).build());
  }

  /** A token for {@code subject} that expired nine minutes ago. */
  public String expiredToken(String subject) {
    Instant past = Instant.now().minusSeconds(600);
    return TestTokens.sign(key, TestTokens.claims().subject(subject)
        .issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(60))).build());
  }

  /** A well-formed token for {@code subject} signed by a key the issuer never published. */
  public String forgedToken(String subject) {
    return TestTokens.sign(stranger, TestTokens.claims().subject(subject).build());
  }

  @Override
  public void close() {
    jwks.close();
  }
}
