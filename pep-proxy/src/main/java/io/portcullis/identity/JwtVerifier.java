package io.portcullis.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the OIDC JWT a client presents as its password, against the issuer's published keys.
 *
 * <p>Thread-safe. {@link #verify} blocks when it has to fetch the JWKS (bounded by a 2 s connect
 * and 3 s read timeout), so callers run it off the event loop. Keys are cached for {@code
 * jwks_cache_ttl_s}; a token with an unknown key id triggers at most one refetch per {@code
 * jwks_refresh_min_interval_s}. Production should publish the JWKS over https.
 *
 * <p>Tokens longer than {@code max_token_bytes} are refused before any parsing, which also bounds
 * how deeply nested or large the header and claims JSON can be.
 */
public final class JwtVerifier {

  private static final Logger log = LoggerFactory.getLogger(JwtVerifier.class);

  static final int CONNECT_TIMEOUT_MS = 2_000;
  static final int READ_TIMEOUT_MS = 3_000;
  static final int JWKS_SIZE_LIMIT = 256 * 1024;

  private static final Set<String> ALLOWED_TYPES =
      Set.of("jwt", "application/jwt", "at+jwt", "application/at+jwt");

  private final IdentitySettings settings;
  private final Set<JWSAlgorithm> algorithms;
  private final DefaultJWTProcessor<SecurityContext> processor;

  /**
   * A verifier for the given settings; fetches no keys until the first token.
   *
   * @throws IllegalArgumentException when the settings are invalid
   */
  public JwtVerifier(IdentitySettings settings) {
    this(settings, Clock.systemUTC());
  }

  JwtVerifier(IdentitySettings settings, Clock clock) {
    this.settings = requireNonNull(settings, "settings").validate();
    requireNonNull(clock, "clock");
    this.algorithms =
        settings.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(
        (type, context) -> {
          if (!typeAllowed(type)) {
            throw new BadJOSEException("token type not allowed");
          }
        });
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keySource(clock)));
    processor.setJWTClaimsSetVerifier(
        new ClaimsChecker(settings.issuer(), settings.audiences(), settings.clockSkewS(), clock));
  }

  private JWKSource<SecurityContext> keySource(Clock clock) {
    var retriever =
        new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, JWKS_SIZE_LIMIT);
    URLBasedJWKSetSource<SecurityContext> fetch;
    try {
      fetch = new URLBasedJWKSetSource<>(URI.create(settings.jwksUrl()).toURL(), retriever);
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("identity.jwks_url: " + settings.jwksUrl(), e);
    }
    var limited =
        new RefetchLimitedJwkSetSource<>(
            fetch, settings.jwksRefreshMinIntervalS() * 1000L, clock::millis);
    return JWKSourceBuilder.create(limited)
        .cache(settings.jwksCacheTtlS() * 1000L, CONNECT_TIMEOUT_MS + READ_TIMEOUT_MS + 1_000L)
        .refreshAheadCache(false)
        .rateLimited(false) // the source above limits, at one fetch per interval instead of two
        .retrying(false)
        .outageTolerant(false) // keys past their TTL are not trusted while the JWKS is down
        .build();
  }

  /**
   * Verifies a token: size, form, algorithm, type, signature against the JWKS, then issuer,
   * audience, expiry, not-before, issued-at and subject.
   *
   * @return what the token says about its holder
   * @throws InvalidTokenException with a client-safe reason; never contains the token
   */
  public VerifiedToken verify(String token) throws InvalidTokenException {
    if (token == null || token.isEmpty()) {
      throw new InvalidTokenException("token is empty");
    }
    long bytes = Tokens.utf8Length(token);
    if (bytes > settings.maxTokenBytes()) {
      throw new InvalidTokenException(
          "token is " + bytes + " bytes (expected: <= " + settings.maxTokenBytes() + ")");
    }
    var jwt = Tokens.parseSigned(token);
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      throw new InvalidTokenException(
          "token algorithm "
              + SafeText.of(header.getAlgorithm().getName())
              + " is not allowed (expected: one of "
              + settings.algorithms()
              + ")");
    }
    if (!typeAllowed(header.getType())) {
      throw new InvalidTokenException(
          "token type "
              + SafeText.of(header.getType().getType())
              + " is not allowed (expected: JWT, at+jwt or none)");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(jwt, null);
    } catch (ClaimsChecker.Rejected e) {
      throw refused(e.getMessage(), null);
    } catch (BadJWSException e) {
      throw refused("token signature is invalid", null);
    } catch (BadJWTException e) {
      throw refused("token claims are not a valid JSON object", null);
    } catch (BadJOSEException e) {
      // Algorithm and type were checked above, so what is left is: no key matched.
      throw refused(unknownKey(header), null);
    } catch (RateLimitReachedException e) {
      log.debug("JWKS refetch skipped: last fetch less than the refresh interval ago");
      throw refused(unknownKey(header), null);
    } catch (KeySourceException e) {
      log.warn("JWKS at {} unavailable: {}", settings.jwksUrl(), e.toString());
      throw refused("token could not be verified: the issuer's keys are unavailable", e);
    } catch (JOSEException e) {
      throw refused("token signature could not be verified", null);
    }
    return new VerifiedToken(
        claims.getSubject(),
        claims.getIssuer(),
        TokenClaims.groups(claims, settings.groupsClaim()),
        TokenClaims.selected(claims, settings.claims()),
        claims.getExpirationTime().toInstant());
  }

  /** The settings this verifier was built from, with defaults applied. */
  public IdentitySettings settings() {
    return settings;
  }

  private static InvalidTokenException refused(String message, Throwable cause) {
    log.debug("token refused: {}", message);
    return cause == null
        ? new InvalidTokenException(message)
        : new InvalidTokenException(message, cause);
  }

  private static String unknownKey(JWSHeader header) {
    String kid = header.getKeyID();
    return kid == null
        ? "token has no key id and no published key matches algorithm "
            + header.getAlgorithm().getName()
        : "token key id " + SafeText.of(kid) + " is unknown";
  }

  private static boolean typeAllowed(JOSEObjectType type) {
    return type == null
        || ALLOWED_TYPES.contains(type.getType().toLowerCase(Locale.ROOT));
  }
}
