package io.portcullis.identity;

import static io.portcullis.identity.JwtVerifierTest.refusal;
import static io.portcullis.identity.TestTokens.claims;
import static io.portcullis.identity.TestTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Fetching, caching and refetching the JWKS, counted on a real loopback JWKS server. */
@Timeout(60)
class JwksRefreshTest {

  private final ECKey current = TestTokens.ecKey("k1");
  private final ECKey next = TestTokens.ecKey("k2");
  private final MutableClock clock = new MutableClock();
  private TestJwks jwks;
  private JwtVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    jwks = TestJwks.start(current);
    // Interval 30 s (the default); the clock only moves when a test moves it.
    verifier = new JwtVerifier(TestTokens.settings(jwks.url()), clock);
  }

  @AfterEach
  void stop() {
    jwks.close();
  }

  @Test
  void keysAreFetchedOnceAndCached() throws Exception {
    assertThat(jwks.requests()).isZero(); // nothing fetched before the first token
    for (int i = 0; i < 5; i++) {
      verifier.verify(sign(current, claims().build()));
    }
    assertThat(jwks.requests()).isEqualTo(1);
  }

  @Test
  void unknownKidRefetchesOnceThenNotAgainWithinTheInterval() throws Exception {
    verifier.verify(sign(current, claims().build()));
    assertThat(jwks.requests()).isEqualTo(1);

    assertThat(refusal(verifier, sign(TestTokens.ecKey("k9"), claims().build())))
        .isEqualTo("token key id k9 is unknown");
    assertThat(jwks.requests()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(29));
    assertThat(refusal(verifier, sign(TestTokens.ecKey("k10"), claims().build())))
        .isEqualTo("token key id k10 is unknown");
    assertThat(jwks.requests()).isEqualTo(2);

    // Known keys keep working while refetches are held back.
    assertThat(verifier.verify(sign(current, claims().build())).subject()).isEqualTo("ci-runner-7");

    clock.advance(Duration.ofSeconds(1));
    assertThat(refusal(verifier, sign(TestTokens.ecKey("k11"), claims().build())))
        .isEqualTo("token key id k11 is unknown");
    assertThat(jwks.requests()).isEqualTo(3);
  }

  @Test
  void rotatedKeyIsAcceptedAfterOneRefetch() throws Exception {
    verifier.verify(sign(current, claims().build()));
    jwks.publish(current, next);

    assertThat(verifier.verify(sign(next, claims().build())).subject()).isEqualTo("ci-runner-7");
    assertThat(jwks.requests()).isEqualTo(2);
    assertThat(verifier.verify(sign(current, claims().build()))).isNotNull();
    assertThat(jwks.requests()).isEqualTo(2);
  }

  @Test
  void rotationWithinTheIntervalIsPickedUpOnceTheIntervalHasPassed() throws Exception {
    verifier.verify(sign(current, claims().build()));
    refusal(verifier, sign(TestTokens.ecKey("k9"), claims().build())); // spends the refetch
    jwks.publish(next);

    assertThat(refusal(verifier, sign(next, claims().build())))
        .isEqualTo("token key id k2 is unknown");
    clock.advance(Duration.ofSeconds(31));
    assertThat(verifier.verify(sign(next, claims().build())).subject()).isEqualTo("ci-runner-7");
    assertThat(jwks.requests()).isEqualTo(3);
  }

  @Test
  void firstTokenWithAnUnknownKidFetchesAndRefetchesOnlyOnce() throws Exception {
    assertThat(refusal(verifier, sign(next, claims().build())))
        .isEqualTo("token key id k2 is unknown");
    refusal(verifier, sign(next, claims().build()));
    refusal(verifier, sign(next, claims().build()));
    assertThat(jwks.requests()).isEqualTo(2);
  }

  @Test
  void concurrentVerificationsShareOneFetch() throws Exception {
    String token = sign(current, claims().build());
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      var results = new java.util.ArrayList<java.util.concurrent.Future<VerifiedToken>>();
      for (int i = 0; i < 32; i++) {
        results.add(pool.submit(() -> verifier.verify(token)));
      }
      for (var result : results) {
        assertThat(result.get(20, java.util.concurrent.TimeUnit.SECONDS).subject())
            .isEqualTo("ci-runner-7");
      }
    }
    assertThat(jwks.requests()).isEqualTo(1);
  }

  /** A clock a test moves by hand; the verifier reads it for the refetch interval and expiry. */
  static final class MutableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
