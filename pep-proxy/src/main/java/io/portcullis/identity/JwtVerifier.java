package io.portcullis.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies the OIDC JWT a client presents: signature against the issuer's JWKS (cached, with a
 * rate-limited refetch for unknown key ids), an asymmetric algorithm from the allow-list, and the
 * iss, aud, exp, nbf and sub claims within the allowed clock skew. Blocking (it may fetch keys):
 * call it off the event loop.
 */
public final class JwtVerifier {

  private final IdentitySettings settings;
  private final Set<JWSAlgorithm> algorithms;
  private final DefaultJWTProcessor<SecurityContext> processor;

  public JwtVerifier(IdentitySettings settings) {
    this.settings = settings;
    this.algorithms = settings.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.<SecurityContext>create(URI.create(settings.jwksUrl()).toURL(),
              new DefaultResourceRetriever(2_000, 2_000, 256 * 1024))
          .cache(settings.jwksCacheTtlS() * 1000L, 5_000)
          .rateLimited(settings.jwksRefreshMinIntervalS() * 1000L)
          .refreshAheadCache(false)
          .retrying(false)
          .outageTolerant(false)
          .build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("identity.jwks_url: " + settings.jwksUrl() + " (expected: a URL)");
    }
    processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        new HashSet<>(settings.audiences()),
        new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
        Set.of("iss", "aud", "exp", "sub"),
        null);
    claims.setMaxClockSkew(settings.clockSkewS());
    processor.setJWTClaimsSetVerifier(claims);
  }

  /**
   * Verifies a token.
   *
   * @throws InvalidTokenException saying why the token is refused (never containing it)
   */
  public VerifiedToken verify(String token) throws InvalidTokenException {
    if (token == null || token.isEmpty()) {
      throw new InvalidTokenException("no token given (send the token as the password)");
    }
    if (token.length() > settings.maxTokenBytes()) {
      throw new InvalidTokenException("token is " + token.length() + " bytes (expected: <= "
          + settings.maxTokenBytes() + ")");
    }
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new InvalidTokenException("token is not a JWT");
    }
    if (!(parsed instanceof SignedJWT signed)) {
      throw new InvalidTokenException("token is not a signed JWT");
    }
    JWSAlgorithm alg = signed.getHeader().getAlgorithm();
    if (!algorithms.contains(alg)) {
      throw new InvalidTokenException("token algorithm " + alg + " is not allowed");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(signed, null);
    } catch (BadJWSException e) {
      throw new InvalidTokenException("token signature is invalid");
    } catch (BadJWTException e) {
      throw new InvalidTokenException(explain(e, signed));
    } catch (BadJOSEException e) {
      String kid = signed.getHeader().getKeyID();
      throw new InvalidTokenException(e.getMessage() != null && e.getMessage().contains("type")
          ? "token type " + signed.getHeader().getType() + " is not accepted"
          : "token key id " + kid + " is unknown to the issuer's key set, or the key set is unavailable");
    } catch (JOSEException e) {
      throw new InvalidTokenException("token could not be verified: " + e.getMessage());
    }
    return new VerifiedToken(claims.getSubject(), claims.getIssuer(), groups(claims),
        selectedClaims(claims), claims.getExpirationTime().toInstant());
  }

  /** A clear reason for a claims failure, from the (already signature-checked) claims. */
  private String explain(BadJWTException e, SignedJWT signed) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    try {
      JWTClaimsSet claims = signed.getJWTClaimsSet();
      if (message.contains("missing required claims")) {
        return "token lacks required claims: " + message.substring(message.indexOf('['));
      }
      if (message.contains("Expired")) {
        return "token expired at " + claims.getExpirationTime().toInstant();
      }
      if (message.contains("before use")) {
        return "token not valid before " + claims.getNotBeforeTime().toInstant();
      }
      if (message.contains("aud")) {
        return "token audience " + claims.getAudience() + " does not include any of " + settings.audiences();
      }
      if (message.contains("iss claim")) {
        return "token issuer " + claims.getIssuer() + " is not " + settings.issuer();
      }
    } catch (ParseException | RuntimeException ignored) {
      // Fall through to the general reason.
    }
    return "token claims rejected";
  }

  private List<String> groups(JWTClaimsSet claims) {
    Object value = claims.getClaim(settings.groupsClaim());
    if (value instanceof List<?> list) {
      return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    if (value instanceof String text) {
      return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
    return List.of();
  }

  private Map<String, Object> selectedClaims(JWTClaimsSet claims) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : settings.claims()) {
      Object value = claims.getClaim(name);
      if (value instanceof String || value instanceof Number || value instanceof Boolean) {
        out.put(name, value);
      }
    }
    return out;
  }

  /** Refused before anything else: the instant now, for expiry messages in tests. */
  static Instant now() {
    return Instant.now();
  }
}
